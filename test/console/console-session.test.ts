import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** The console's sign-in: staff only, the refresh token only in an httpOnly cookie, CSRF-proof, ended by sign-out. */

const CONSOLE = { 'x-usher-console': '1' };
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

test('console session: staff only; the cookie is httpOnly, SameSite=Strict, scoped to the session API; refresh rotates it; sign-out ends the session', async (t) => {
  const api = await build(t);
  const moderator = await api.withRole('moderator');
  const plain = await api.user();

  // A plain user gets no console session at all: 403, no cookie that works, the new session ended.
  const refused = await api.request('POST', '/console/api/session', {
    headers: CONSOLE,
    body: { login: plain.username, password: PASSWORD },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.message, 'The console is for admins and moderators');
  assert.match(String(refused.headers['set-cookie']), /Max-Age=0/);
  const sessions = (await api.request('GET', '/api/v1/auth/sessions', { token: plain.token })).body.data;
  assert.equal(sessions.length, 1, 'only the session the user had before');

  // No X-Usher-Console header (what a form on another site would send): refused before any login.
  assert.equal(
    (await api.request('POST', '/console/api/session', { body: { login: moderator.username, password: PASSWORD } }))
      .status,
    400,
  );

  const signedIn = await api.request('POST', '/console/api/session', {
    headers: CONSOLE,
    body: { login: moderator.username, password: PASSWORD },
  });
  assert.equal(signedIn.status, 200);
  assert.equal(signedIn.body.user.role, 'moderator');
  assert.ok(!('refresh_token' in signedIn.body), 'the refresh token is never in a body the page can read');
  const setCookie = String(signedIn.headers['set-cookie']);
  assert.match(
    setCookie,
    /^usher_console=[^;]+; Path=\/console\/api\/session; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
  );
  assert.equal(
    (await api.request('GET', `/api/v1/users/${plain.id}`, { token: signedIn.body.access_token })).status,
    200,
  );

  // Refresh rotates the cookie; the old one is then a reused token and ends the session.
  const first = cookieOf(signedIn);
  const refreshed = await api.request('POST', '/console/api/session/refresh', {
    headers: { ...CONSOLE, cookie: first },
  });
  assert.equal(refreshed.status, 200);
  const second = cookieOf(refreshed);
  assert.notEqual(second, first);
  // After the reuse grace window (10 s), the rotated-out cookie is reuse.
  api.clock.advance(11_000);
  assert.equal(
    (await api.request('POST', '/console/api/session/refresh', { headers: { ...CONSOLE, cookie: first } })).status,
    401,
  );
  assert.equal(
    (await api.request('POST', '/console/api/session/refresh', { headers: { ...CONSOLE, cookie: second } })).status,
    401,
    'reuse of a rotated token ends the session',
  );

  // Sign-out ends the session on the server: the cookie and the access token stop working.
  const again = await api.request('POST', '/console/api/session', {
    headers: CONSOLE,
    body: { login: moderator.username, password: PASSWORD },
  });
  const out = await api.request('DELETE', '/console/api/session', { headers: { ...CONSOLE, cookie: cookieOf(again) } });
  assert.equal(out.status, 204);
  assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
  assert.equal(
    (await api.request('POST', '/console/api/session/refresh', { headers: { ...CONSOLE, cookie: cookieOf(again) } }))
      .status,
    401,
  );
  assert.equal((await api.request('GET', `/api/v1/users/${plain.id}`, { token: again.body.access_token })).status, 401);
});

test('the console page is served with a strict CSP; unknown assets 404; its paths answer the same page', async (t) => {
  const api = await build(t);
  for (const path of ['/console', '/console/', '/console/users/01900000-0000-7000-8000-000000000000']) {
    const res = await api.app.inject({ method: 'GET', url: path });
    assert.equal(res.statusCode, 200, path);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'; style-src 'self'/);
    assert.match(res.body, /<div id="app">/);
  }
  assert.equal((await api.app.inject({ method: 'GET', url: '/console/assets/nope.js' })).statusCode, 404);
  assert.equal((await api.app.inject({ method: 'GET', url: '/console/api/session' })).statusCode, 404);
  const script = /src="\/console\/assets\/([^"]+\.js)"/.exec(
    (await api.app.inject({ method: 'GET', url: '/console' })).body,
  )?.[1];
  const asset = await api.app.inject({ method: 'GET', url: `/console/assets/${script}` });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers['cache-control']), /immutable/);
});
