import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestContext } from 'node:test';
import { PASSWORD, type TestApp, build } from '../support/helper.js';
import * as client from 'openid-client';
import { mailedCode } from '../support/hosted-flow.js';
import { Agent, REDIRECT, startIssuer } from '../support/oidc.js';

/**
 * The pages mailed links land on (/auth/mail/…), through HTTP: a GET (a mail scanner following the link) spends
 * nothing; the button's POST does. The mails themselves are checked through SMTP in email-sign-in.test.ts.
 */

let api: TestApp;
const cleanups: Array<() => Promise<void>> = [];
before(async () => {
  const t = { after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as TestContext;
  api = await build(t, { USHER_EMAIL_SIGN_IN: 'on' });
});
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers });
const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
const linkOf = (path: string, email: string, code: string) => `${path}?${new URLSearchParams({ email, code })}`;
const signInCode = async (email: string) => {
  const res = await api.request('POST', '/api/v1/auth/email-sign-in/request', { body: { email } });
  assert.equal(res.status, 202);
  return mailedCode(api, email, 'sign-in');
};

test("a scanner's GET spends nothing; the page's button is a POST form; the app's code still signs in", async () => {
  const a = await api.register();
  const code = await signInCode(a.email);
  const link = linkOf('/auth/mail/sign-in', a.email, code);
  for (let i = 0; i < 3; i++) {
    const page = await get(link, { 'user-agent': 'MailScanner/1.0' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.match(page.body, /<form method="post" action="\/auth\/mail\/sign-in">/);
    assert.match(page.body, /<button type="submit">Sign in<\/button>/);
  }
  // A plain user's button leaves the code for the app that asked for it, and shows it.
  const pressed = await post('/auth/mail/sign-in', { email: a.email, code });
  assert.equal(pressed.statusCode, 200);
  assert.ok(pressed.body.includes(code));
  assert.equal(pressed.headers['set-cookie'], undefined, 'no session for a plain user here');
  const res = await api.request('POST', '/api/v1/auth/email-sign-in', { body: { email: a.email, code } });
  assert.equal(res.status, 200, res.raw);
  assert.ok(res.body.access_token);
});

test("a staff member's button signs in to the console: its cookie refreshes the console's session", async () => {
  const m = await api.withRole('moderator');
  const email = `${m.username}@example.com`;
  const code = await signInCode(email);
  const pressed = await post('/auth/mail/sign-in', { email, code });
  assert.equal(pressed.statusCode, 200, pressed.body);
  assert.match(pressed.body, /href="\/console\/">Open the console/);
  const cookie = String(pressed.headers['set-cookie']);
  assert.match(cookie, /^usher_console=[^;]+; Path=\/console\/api\/session;.*HttpOnly; SameSite=Strict/);
  const session = await api.app.inject({
    method: 'POST',
    url: '/console/api/session/refresh',
    headers: { cookie: cookie.split(';')[0]!, 'x-usher-console': '1' },
  });
  assert.equal(session.statusCode, 200, session.body);
  const used = await post('/auth/mail/sign-in', { email, code });
  assert.equal(used.statusCode, 400);
  assert.match(used.body, /was used already, or has expired/);
  assert.match(used.body, /action="\/auth\/mail\/sign-in\/request"/, 'a way to ask again');
  const cross = await post('/auth/mail/sign-in', { email, code }, { 'sec-fetch-site': 'cross-site' });
  assert.equal(cross.statusCode, 403, 'a form posted from another site is refused');
  const sibling = await post('/auth/mail/sign-in', { email, code }, { 'sec-fetch-site': 'same-site' });
  assert.equal(sibling.statusCode, 403, 'and from a sibling subdomain');
  const old = await post('/auth/mail/sign-in', { email, code }, { origin: 'https://evil.example' });
  assert.equal(old.statusCode, 403, "a browser that sends only Origin: another site's is refused");
  const own = await post('/auth/mail/sign-in', { email, code }, { 'sec-fetch-site': 'same-origin' });
  assert.equal(own.statusCode, 400, 'its own page gets as far as the code');
});

test('the verification link: GET shows the button, the POST verifies', async () => {
  const a = await api.register();
  const code = await mailedCode(api, a.email, 'verify-email');
  const link = linkOf('/auth/mail/verify-email', a.email, code);
  assert.equal((await get(link)).statusCode, 200);
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: (await api.admin()).token })).body.data.email_verified,
    false,
  );
  const done = await post('/auth/mail/verify-email', { email: a.email, code });
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /is verified/);
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: (await api.admin()).token })).body.data.email_verified,
    true,
  );
});

test('the reset link asks for the new password; a weak one keeps the code; a good one resets', async () => {
  const a = await api.register();
  assert.equal(
    (await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: a.email } })).status,
    202,
  );
  const code = await mailedCode(api, a.email, 'password-reset');
  const page = await get(linkOf('/auth/mail/reset-password', a.email, code));
  assert.match(page.body, /type="password"/);
  const weak = await post('/auth/mail/reset-password', { email: a.email, code, password: 'password' });
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /New password/, 'the form again, with why');
  const good = `${PASSWORD}-new!`;
  const ok = await post('/auth/mail/reset-password', { email: a.email, code, password: good });
  assert.equal(ok.statusCode, 200, ok.body);
  await api.login(a.username, good);
});

test('incomplete links and unknown pages answer as pages; off, no page offers email sign-in', async (t) => {
  const bare = await get('/auth/mail/sign-in');
  assert.equal(bare.statusCode, 400);
  assert.match(bare.body, /not complete/);
  // Off (the default): the hosted sign-in page has no "Email me a sign-in code", and its routes are 404.
  const op = await startIssuer(t);
  const app = await op.application({ name: 'Off App', type: 'web', first_party: true, redirect_uris: [REDIRECT] });
  const rp = await op.relyingParty(app);
  const url = client.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', nonce: 'n' });
  const agent = new Agent();
  const signIn = await agent.follow(url.href, op.issuer);
  assert.match(signIn.html ?? '', /<h1>Sign in<\/h1>/);
  assert.doesNotMatch(signIn.html ?? '', /Email me a sign-in code/);
  assert.equal((await agent.fetch(`${signIn.url}/email`)).status, 404);
  const off = op.api;
  const none = await off.app.inject({ method: 'GET', url: linkOf('/auth/mail/sign-in', 'a@example.com', '123456') });
  assert.equal(none.statusCode, 404);
  assert.match(none.body, /<!doctype html>/);
  assert.equal(
    (await off.app.inject({ method: 'GET', url: linkOf('/auth/mail/verify-email', 'a@example.com', '1') })).statusCode,
    200,
  );
});
