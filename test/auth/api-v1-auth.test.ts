import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { PASSWORD, build } from '../support/helper.js';

test('login by username or by email returns the bare token object', async (t) => {
  const api = await build(t);
  const a = await api.register();
  for (const body of [
    { username: a.username, password: PASSWORD },
    { email: a.email.toUpperCase(), password: PASSWORD },
    { username: a.email, password: PASSWORD },
  ]) {
    const res = await api.request('POST', '/api/v1/auth/login', { body });
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.ok(Buffer.from(res.body.refresh_token, 'base64url').length >= 32, 'refresh token carries >= 256 bits');
    const claims = decodeJwt(res.body.access_token);
    assert.equal(claims.sub, a.id);
    assert.equal(typeof claims.sid, 'string');
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    assert.equal(decodeProtectedHeader(res.body.access_token).alg, 'ES256');
  }
});

test('wrong password and unknown user get the same status, code and message', async (t) => {
  const api = await build(t);
  const a = await api.register();
  const wrong = await api.request('POST', '/api/v1/auth/login', {
    body: { username: a.username, password: 'Wrong123456' },
  });
  const unknown = await api.request('POST', '/api/v1/auth/login', {
    body: { username: 'nobody_here', password: 'Wrong123456' },
  });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.body.error.code, 'AUTHENTICATION_REQUIRED');
  assert.equal(wrong.body.error.code, unknown.body.error.code);
  assert.equal(wrong.body.error.message, unknown.body.error.message);
  assert.deepEqual(wrong.body.error.details, unknown.body.error.details);
});

test('login input errors are 400; only active users log in', async (t) => {
  const api = await build(t);
  assert.equal((await api.request('POST', '/api/v1/auth/login', { body: { password: PASSWORD } })).status, 400);
  assert.equal((await api.request('POST', '/api/v1/auth/login', { body: { username: 'x' } })).status, 400);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 5, password: PASSWORD } })).status,
    400,
  );
  const admin = await api.admin();
  const a = await api.register();
  for (const status of ['inactive', 'suspended', 'pending']) {
    await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { status } });
    const res = await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } });
    assert.equal(res.status, 401, status);
  }
});

test('refresh rotates the refresh token; the old one is refused and its reuse ends the session', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const first = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } });
  assert.equal(first.status, 200);
  assert.equal(first.body.token_type, 'Bearer');
  assert.notEqual(first.body.refresh_token, a.refresh);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: first.body.access_token })).status, 200);

  // The rotated-out token comes back after the reuse grace window (10 s): reuse detection revokes the whole session.
  api.clock.advance(11_000);
  const replay = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } });
  assert.equal(replay.status, 401);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.body.refresh_token } })).status,
    401,
  );
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: first.body.access_token })).status, 401);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
});

test('refresh: unknown token 401, missing field 400, expired refresh token 401', async (t) => {
  const api = await build(t, { USHER_REFRESH_TOKEN_TTL: '120' });
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: 'nope' } })).status, 401);
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: {} })).status, 400);
  const a = await api.user();
  api.clock.advance(121_000);
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 401);
});

test('a refresh never outlives its session: the next token ends with the session, and a refused session gets no new token', async (t) => {
  const api = await build(t, { USHER_SESSION_MAX_AGE: '600', USHER_REFRESH_TOKEN_TTL: '400' });
  const a = await api.user();
  const tokensOf = (sessionId: string) =>
    api.database.db
      .selectFrom('refresh_tokens')
      .select(['expires_at', 'used_at'])
      .where('session_id', '=', sessionId)
      .orderBy('created_at')
      .execute();
  const [session] = await api.database.db
    .selectFrom('sessions')
    .select(['id', 'expires_at'])
    .where('user_id', '=', a.id)
    .execute();
  api.clock.advance(100_000);
  const early = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } });
  assert.equal(early.status, 200);
  assert.equal(
    Date.parse((await tokensOf(session!.id)).at(-1)!.expires_at),
    api.clock.now() + 400_000,
    'refreshTtl from now, inside the session',
  );
  api.clock.advance(300_000);
  const late = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: early.body.refresh_token } });
  assert.equal(late.status, 200);
  const stored = await tokensOf(session!.id);
  assert.equal(stored.length, 3);
  assert.equal(Date.parse(stored.at(-1)!.expires_at), Date.parse(session!.expires_at), "capped at the session's end");

  // A session that has ended: its token is used up, and no next token is stored.
  await api.request('POST', '/api/v1/auth/logout', { token: late.body.access_token });
  assert.equal(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: late.body.refresh_token } })).status,
    401,
  );
  const after = await tokensOf(session!.id);
  assert.equal(after.length, 3, 'no token for an ended session');
  assert.ok(
    after.every((r) => r.used_at !== null),
    'each token used up',
  );
});

test('access tokens expire after USHER_ACCESS_TOKEN_TTL', async (t) => {
  const api = await build(t, { USHER_ACCESS_TOKEN_TTL: '60' });
  const a = await api.user();
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  api.clock.advance(61_000);
  const expired = await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error.code, 'AUTHENTICATION_REQUIRED');
  const refreshed = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } });
  assert.equal(refreshed.status, 200);
  assert.equal(refreshed.body.expires_in, 60);
});

test('tokens signed with another key or algorithm are refused', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const [header, payload] = a.token.split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: none })).status, 401);
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'someone' })).toString('base64url')}.${a.token.split('.')[2]}`;
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: tampered })).status, 401);
});

test('logout ends the session: access and refresh tokens refused at once; other sessions live on', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const other = await api.login(a.username);
  const out = await api.request('POST', '/api/v1/auth/logout', { token: a.token });
  assert.equal(out.status, 200);
  assert.equal(out.body.data.message, 'Logout successful');
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 401);
  assert.equal((await api.request('POST', '/api/v1/auth/logout', { token: a.token })).status, 401);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: other.access_token })).status, 200);
  assert.equal((await api.request('POST', '/api/v1/auth/logout')).status, 401);
});

test('logout with only a refresh token ends that session', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const out = await api.request('POST', '/api/v1/auth/logout', { body: { refresh_token: a.refresh } });
  assert.equal(out.status, 200);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
});

test('suspending or deactivating a user ends all its sessions at once; reactivation needs a new login', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  const second = await api.login(a.username);
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { status: 'suspended' } })).status,
    200,
  );
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: second.access_token })).status, 401);
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 401);
  await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { status: 'active' } });
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status,
    401,
    'old sessions stay ended',
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    200,
  );
});

test('a role change applies to existing sessions at once', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  assert.equal((await api.request('GET', '/api/v1/users', { token: mod.token })).status, 200);
  await api.request('PATCH', `/api/v1/users/${mod.id}`, { token: admin.token, body: { role: 'user' } });
  assert.equal((await api.request('GET', '/api/v1/users', { token: mod.token })).status, 403);
});

test('login records last_login', async (t) => {
  const api = await build(t);
  const a = await api.register();
  const before = (await api.request('GET', `/api/v1/users/${a.id}`, { token: (await api.admin()).token })).body.data;
  assert.equal(before.last_login, null);
  api.clock.advance(5000);
  const tokens = await api.login(a.username);
  const after = (await api.request('GET', `/api/v1/users/${a.id}`, { token: tokens.access_token })).body.data;
  assert.equal(after.last_login, new Date(api.clock.now()).toISOString());
});
