import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { PASSWORD, build, unique } from '../support/helper.js';
import { forge } from '../support/keys.js';

/** Issue 15: an API key has no self, keys cannot manage keys, and tokens are only what this server grants. */

test('a key acts only through its role: a user-role key cannot take over its admin creator on any surface', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey({ role: 'user' });
  const attempts: Array<[string, string, unknown]> = [
    ['PATCH', `/api/v1/users/${admin.id}`, { password: 'Attacker123!x' }],
    ['PUT', `/api/v1/users/${admin.id}`, { email: 'attacker@example.com' }],
    ['PUT', `/v1/users/${admin.id}`, { email: 'attacker@example.com' }],
    ['PUT', '/api/profile/', { username: 'attacker_owned' }],
    ['PUT', '/api/change_password/', { old_password: PASSWORD, new_password: 'Attacker123!x' }],
    ['PUT', `/api/users/profiles/${admin.id}`, { email: 'attacker@example.com' }],
    ['DELETE', `/api/v1/users/${admin.id}`, undefined],
  ];
  for (const [method, url, body] of attempts) {
    const res = await api.request(method as 'PUT', url, { apiKey: key, body });
    assert.equal(res.status, 403, `${method} ${url}: ${res.raw}`);
    assert.equal(res.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  }
  assert.equal(
    (await api.request('GET', '/api/profile/', { apiKey: key })).status,
    403,
    'a key has no profile of its own',
  );
  // Nothing changed: the admin still logs in with the old password and keeps its session.
  await api.login('root_admin', PASSWORD);
  const me = await api.request('GET', `/api/v1/users/${admin.id}`, { token: admin.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.data.email, 'root@example.com');
  assert.equal(me.body.data.username, 'root_admin');
});

test('an admin-role key still acts as an admin on other users, but cannot make, list or revoke keys', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const k1 = await api.apiKey({ role: 'admin', expires_at: new Date(api.clock.now() + 86_400_000).toISOString() });
  const a = await api.register();
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { apiKey: k1.key, body: { first_name: 'Set' } })).status,
    200,
  );
  for (const [method, url, body] of [
    ['POST', '/api/v1/api-keys', { name: 'outlives k1' }],
    ['GET', '/api/v1/api-keys', undefined],
    ['DELETE', `/api/v1/api-keys/${k1.id}`, undefined],
  ] as const) {
    const res = await api.request(method, url, { apiKey: k1.key, body });
    assert.equal(res.status, 403, `${method} ${url}`);
    assert.equal(res.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  }
  const keys = await api.request('GET', '/api/v1/api-keys', { token: admin.token });
  assert.deepEqual(
    keys.body.data.map((k: any) => k.id),
    [k1.id],
    'no second key was made',
  );
});

test('access tokens claiming a longer life than the configured one are refused', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const sid = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString()).sid;
  const iat = Math.floor(api.clock.now() / 1000);
  const fair = await forge(api, { sid, sub: a.id, iss: api.config.issuer, iat, exp: iat + 3600 });
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: fair })).status,
    200,
    'the forging is right',
  );
  const yearLong = await forge(api, { sid, sub: a.id, iss: api.config.issuer, iat, exp: iat + 365 * 86400 });
  const res = await api.request('GET', `/api/v1/users/${a.id}`, { token: yearLong });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'AUTHENTICATION_REQUIRED');
  const noIat = await forge(api, { sid, sub: a.id, iss: api.config.issuer, exp: iat + 60 });
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: noIat })).status, 401);
});

test('the kid is random: never derived from USHER_JWT_SECRET, nor the same across starts', async (t) => {
  // With the secret set and USHER_JWT_ALG unset, tokens stay HS256 (as before asymmetric keys).
  const secret = 'a-deployment-secret-of-at-least-32-bytes!';
  const kids = [];
  for (let i = 0; i < 2; i++) {
    const api = await build(t, { USHER_JWT_SECRET: secret });
    const a = await api.user();
    const kid = decodeProtectedHeader(a.token).kid as string;
    assert.ok(!createHash('sha256').update(secret).digest('base64url').startsWith(kid));
    assert.ok(!createHash('sha256').update(secret).digest('hex').startsWith(kid));
    assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
    kids.push(kid);
  }
  assert.notEqual(kids[0], kids[1]);
  const api = await build(t);
  const kid = decodeProtectedHeader((await api.user()).token).kid as string;
  assert.ok(kid.length >= 16 && kid !== 'k1', kid);
});

test('sessions end at USHER_SESSION_MAX_AGE however often they are refreshed', async (t) => {
  const api = await build(t, {
    USHER_SESSION_MAX_AGE: '3600',
    USHER_REFRESH_TOKEN_TTL: '86400',
    USHER_ACCESS_TOKEN_TTL: '600',
  });
  const a = await api.user();
  let refresh = a.refresh;
  for (let minutes = 9; minutes <= 54; minutes += 9) {
    api.clock.advance(9 * 60_000);
    const res = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: refresh } });
    assert.equal(res.status, 200, `refresh at ${minutes} min`);
    refresh = res.body.refresh_token;
  }
  api.clock.advance(6 * 60_000 + 1000);
  const late = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: refresh } });
  assert.equal(late.status, 401, 'past the absolute lifetime');
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    200,
    'a new login starts a new session',
  );
});

test('registration counts against the per-address limit whether or not the caller is signed in', async (t) => {
  const api = await build(t, {
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_ANON_PER_MIN: '3',
    USHER_RATE_LIMIT_AUTH_PER_MIN: '1000',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
    USHER_RATE_LIMIT_LOGIN_PER_MIN: '1000',
    USHER_TRUST_PROXY: 'true',
  });
  const signedIn = await api.user();
  const register = (ip: string, token?: string) => {
    const username = unique();
    return api.request('POST', '/api/v1/users', {
      token,
      headers: { 'x-forwarded-for': ip },
      body: { username, email: `${username}@example.com`, password: PASSWORD },
    });
  };
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await register('203.0.113.7', signedIn.token)).status);
  assert.deepEqual(statuses, [201, 201, 201, 429]);
  assert.equal((await register('203.0.113.7')).status, 429, 'the same counter as anonymous registration');
  // IPv6 addresses count per /64: a neighbour in the same /64 shares the counter, another /64 does not.
  assert.deepEqual(
    [
      (await register('2001:db8:1:2::1')).status,
      (await register('2001:db8:1:2::ffff')).status,
      (await register('2001:db8:1:2:aaaa::9')).status,
    ],
    [201, 201, 201],
  );
  assert.equal((await register('2001:0db8:0001:0002:0000:0000:0000:0077')).status, 429);
  assert.equal((await register('2001:db8:1:3::1')).status, 201);
});
