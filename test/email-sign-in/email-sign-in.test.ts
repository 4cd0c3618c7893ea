import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { type TestApp, build } from '../support/helper.js';
import { type Inbox, smtpInbox } from '../support/mail-helper.js';
import { turnTotpOn } from '../support/hosted-flow.js';
import UserManagementClient from '../../packages/client/src/index.js';

/** Sign-in with a mailed code through /api/v1 (USHER_EMAIL_SIGN_IN=on), a real SMTP server receiving the mail. */

const PUBLIC_URL = 'https://id.example.test';
const REQUEST = '/api/v1/auth/email-sign-in/request';
const SIGN_IN = '/api/v1/auth/email-sign-in';

let api: TestApp;
let inbox: Inbox;
// One app for the file: each test works with its own users (and moves the shared clock only forward).
before(async () => {
  const t = { after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as import('node:test').TestContext;
  inbox = await smtpInbox(t);
  api = await build(
    t,
    { SMTP_URL: inbox.url, USHER_EMAIL_SIGN_IN: 'on', USHER_PUBLIC_URL: PUBLIC_URL },
    {
      mailPollMs: 25,
    },
  );
});
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const linkIn = (mail: ParsedMail) => /https?:\/\/\S+/.exec(mail.text ?? '')?.[0] ?? '';

/** A registered user whose verification mail is read already; `ask` mails a sign-in code and answers the mail. */
async function person() {
  const u = await api.register();
  await inbox.next(u.email);
  return {
    ...u,
    async ask() {
      const res = await api.request('POST', REQUEST, { body: { email: u.email } });
      assert.equal(res.status, 202, res.raw);
      return inbox.next(u.email);
    },
  };
}

const loginsOf = async (userId: string) =>
  (
    await api.database.db
      .selectFrom('audit_events')
      .select(['type', 'details'])
      .where('target_id', '=', userId)
      .where('type', 'in', ['user.login', 'user.login_failed'])
      .orderBy('created_at')
      .execute()
  ).map(
    (e) => ({ ...(JSON.parse(String(e.details)) as Record<string, unknown>), type: e.type }) as Record<string, unknown>,
  );

test('an unknown address gets 202 and no mail; a known one a mail with the code and a link to the page', async () => {
  const nobody = await api.request('POST', REQUEST, { body: { email: 'nobody-here@example.com' } });
  assert.equal(nobody.status, 202);
  const a = await person();
  const mail = await a.ask();
  const known = await api.request('POST', REQUEST, { body: { email: a.email } });
  assert.deepEqual(known.body.data, nobody.body.data, 'one answer for known and unknown addresses');
  await inbox.next(a.email);
  assert.match(mail.subject ?? '', /sign-in code/);
  const code = inbox.codeIn(mail);
  const link = new URL(linkIn(mail));
  assert.equal(`${link.origin}${link.pathname}`, `${PUBLIC_URL}/auth/mail/sign-in`);
  assert.equal(link.searchParams.get('email'), a.email);
  assert.equal(link.searchParams.get('code'), code);
  assert.ok(String(mail.html).includes(`${PUBLIC_URL}/auth/mail/sign-in?`), 'the HTML part links too');
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(!inbox.mails.some((m) => JSON.stringify(m.to).includes('nobody')), 'no mail for unknown addresses');
});

test('the code signs in once: tokens, a login audited method=email, and the address verified', async () => {
  const a = await person();
  const code = inbox.codeIn(await a.ask());
  const res = await api.request('POST', SIGN_IN, { body: { email: a.email, code } });
  assert.equal(res.status, 200, res.raw);
  const me = await api.request('GET', `/api/v1/users/${a.id}`, { token: res.body.access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.data.email_verified, true, 'the mailed code proved the address');
  const logins = await loginsOf(a.id);
  assert.deepEqual(
    logins.map((l) => [l.type, l.method]),
    [['user.login', 'email']],
  );
  const again = await api.request('POST', SIGN_IN, { body: { email: a.email, code } });
  assert.equal(again.status, 400, 'single-use');
  assert.match(again.body.error.details.code, /wrong or has expired/);
  // A sign-in code is no verification or reset code, nor the other way round.
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code } })).status,
    400,
  );
});

test('wrong codes are 400 with one message; the fifth voids the code; a code expires', async () => {
  const a = await person();
  const code = inbox.codeIn(await a.ask());
  const wrong = code === '000000' ? '111111' : '000000';
  const unknown = await api.request('POST', SIGN_IN, { body: { email: 'nobody-x@example.com', code } });
  assert.equal(unknown.status, 400);
  for (let i = 0; i < 5; i++) {
    const res = await api.request('POST', SIGN_IN, { body: { email: a.email, code: wrong } });
    assert.equal(res.status, 400);
    assert.deepEqual(
      { ...res.body.error, timestamp: 0 },
      { ...unknown.body.error, timestamp: 0 },
      'one answer for an unknown address and a wrong code',
    );
  }
  assert.equal((await api.request('POST', SIGN_IN, { body: { email: a.email, code } })).status, 400, 'voided');
  const failed = (await loginsOf(a.id)).filter((l) => l.type === 'user.login_failed');
  assert.equal(failed.length, 6, 'five wrong codes, then the right one too late');
  assert.ok(failed.every((f) => f.reason === 'wrong_code' && f.method === 'email'));
  assert.equal(JSON.stringify(failed).includes(code), false, 'no code in the audit');

  const fresh = inbox.codeIn(await a.ask());
  api.clock.advance(15 * 60_000 + 1);
  assert.equal((await api.request('POST', SIGN_IN, { body: { email: a.email, code: fresh } })).status, 400, 'expired');
  assert.equal(
    (await api.request('POST', SIGN_IN, { body: { email: a.email, code: 'abc' } })).status,
    400,
    'not 6 digits',
  );
});

test('with TOTP on, the code earns the MFA challenge, then the second factor the tokens', async () => {
  const a = await person();
  const { access_token } = await api.login(a.username);
  const totp = await turnTotpOn(api, access_token);
  const code = inbox.codeIn(await a.ask());
  const res = await api.request('POST', SIGN_IN, { body: { email: a.email, code } });
  assert.equal(res.status, 200, res.raw);
  assert.equal(res.body.mfa_required, true);
  assert.equal(res.body.access_token, undefined);
  const verified = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: res.body.mfa_token, code: totp.generate({ timestamp: api.clock.now() }) },
  });
  assert.equal(verified.status, 200, verified.raw);
  assert.ok(verified.body.access_token);
  // The password login that turned TOTP on, and this one (the test's clock stands still: no order by time).
  const methods = (await loginsOf(a.id)).filter((l) => l.type === 'user.login').map((l) => String(l.method));
  assert.deepEqual(methods.sort(), ['email', 'password'], 'the second factor finished an email sign-in');
});

test('a suspended account is mailed nothing; one suspended after its mail is told so only with the right code', async () => {
  const admin = await api.admin();
  const a = await person();
  const code = inbox.codeIn(await a.ask());
  const suspend = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: admin.token,
    body: { status: 'suspended' },
  });
  assert.equal(suspend.status, 200, suspend.raw);
  const wrong = await api.request('POST', SIGN_IN, {
    body: { email: a.email, code: code === '000000' ? '111111' : '000000' },
  });
  assert.equal(wrong.status, 400, 'a wrong code tells nothing about the account');
  const right = await api.request('POST', SIGN_IN, { body: { email: a.email, code } });
  assert.equal(right.status, 401);
  assert.equal(right.body.error.message, 'Account is not active');
  assert.equal((await api.request('POST', REQUEST, { body: { email: a.email } })).status, 202);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(inbox.mails.filter((m) => JSON.stringify(m.to).includes(a.email)).length, 2, 'no new mail');
});

test("the SDK's requestEmailSignIn and signInWithEmail (this checkout's source, over the app's inject)", async () => {
  const a = await person();
  const fetch = async (url: string, init: RequestInit) => {
    const res = await api.app.inject({
      method: init.method as 'POST',
      url: new URL(url).pathname,
      headers: init.headers as Record<string, string>,
      payload: init.body as string,
    });
    return new Response(res.body, { status: res.statusCode, headers: res.headers as Record<string, string> });
  };
  const sdk = new UserManagementClient({ baseURL: 'http://usher.test/api/v1', fetch });
  await sdk.auth.requestEmailSignIn(a.email);
  const code = inbox.codeIn(await inbox.next(a.email));
  const tokens = await sdk.auth.signInWithEmail({ email: a.email, code });
  assert.ok('access_token' in tokens && tokens.access_token);
  assert.equal((await sdk.users.get(a.id)).email, a.email, 'the client keeps the tokens');
});

test('bad bodies are 400 and change nothing', async () => {
  for (const body of [
    {},
    { email: 'x' },
    { email: 'a@example.com', code: 123456 },
    { email: 'a@example.com', code: '1', x: 1 },
  ])
    assert.equal((await api.request('POST', SIGN_IN, { body })).status, 400, JSON.stringify(body));
  assert.equal((await api.request('POST', REQUEST, { body: {} })).status, 400);
});

test('off by default: both routes are 404', async (t) => {
  const off = await build(t);
  for (const [url, body] of [
    [REQUEST, { email: 'root@example.com' }],
    [SIGN_IN, { email: 'root@example.com', code: '123456' }],
  ] as const) {
    const res = await off.request('POST', url, { body });
    assert.equal(res.status, 404, res.raw);
  }
});
