import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import type { PasswordHasher } from '../../src/core/security/password-hasher.js';
import { createPasswordHasher } from '../../src/core/security/password-hasher.js';
import { PASSWORD, build, unique } from '../support/helper.js';
import { currentKeyRow, forge, signWith } from '../support/keys.js';

/**
 * Nobody in: object, property and function level authorization on every surface, tokens, enumeration (OWASP API1, API3,
 * API5).
 */

test('API1 object level: no user reads, changes or deletes another user, on any surface', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const b = await api.user();
  const bearer = { token: a.token };
  const tries: Array<[string, string, unknown, Record<string, unknown>]> = [
    ['GET', `/api/v1/users/${b.id}`, undefined, bearer],
    ['PATCH', `/api/v1/users/${b.id}`, { first_name: 'Mallory' }, bearer],
    ['PUT', `/api/v1/users/${b.id}`, { first_name: 'Mallory' }, bearer],
    ['DELETE', `/api/v1/users/${b.id}`, undefined, bearer],
    ['GET', `/api/users/profiles/${b.id}`, undefined, bearer],
    ['PUT', `/api/users/profiles/${b.id}`, { preferences: { theme: 'dark' } }, bearer],
    ['DELETE', `/api/users/profiles/${b.id}`, undefined, bearer],
    ['GET', '/api/v1/users', undefined, bearer],
    ['GET', '/api/v1/api-keys', undefined, bearer],
    ['GET', '/api/v1/audit-events', undefined, bearer],
  ];
  for (const [method, url, body, auth] of tries) {
    const res = await api.request(method as 'GET', url, { ...auth, body });
    assert.equal(res.status, 403, `${method} ${url}`);
  }
  const still = await api.request('GET', `/api/v1/users/${b.id}`, { token: b.token });
  assert.equal(still.body.data.first_name, null);
  assert.equal(still.body.data.preferences.theme, 'system');
  // The account API is self-only by construction; /v1 demands a key.
  assert.equal((await api.request('GET', `/v1/users/${b.id}`, bearer)).status, 401);
});

test('API3 property level: role, status, id, timestamps and hashes cannot be set by who may not; no response carries a secret', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const { key } = await api.apiKey({ role: 'moderator' });
  const self = [
    { role: 'admin' },
    { status: 'active' },
    { id: 'chosen' },
    { created_at: '2000-01-01T00:00:00Z' },
    { updated_at: '2000-01-01T00:00:00Z' },
    { password_hash: '$argon2id$v=19$m=1,t=1,p=1$x$y' },
    { last_login: '2000-01-01T00:00:00Z' },
  ];
  for (const body of self) {
    const res = await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body });
    assert.ok(res.status === 400 || res.status === 403, `${JSON.stringify(body)}: ${res.status}`);
  }
  const username = unique();
  const register = await api.request('POST', '/api/v1/users', {
    body: { username, email: `${username}@example.com`, password: PASSWORD, role: 'admin' },
  });
  assert.equal(register.status, 403, 'anonymous registration cannot choose a role');
  assert.equal(
    (await api.request('PUT', `/v1/users/${a.id}`, { apiKey: key, body: { role: 'admin' } })).status,
    403,
    'a moderator key cannot promote',
  );
  // No answer anywhere carries a hash or a key secret.
  const answers = [
    await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token }),
    await api.request('GET', '/api/profile/', { headers: { authorization: `Token ${a.token}` } }),
    await api.request('GET', `/v1/users/${a.id}`, { apiKey: key }),
    await api.request('GET', '/api/v1/api-keys', { token: (await api.admin()).token }),
    await api.request('GET', '/api/v1/users', { token: (await api.admin()).token }),
  ];
  for (const res of answers) {
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.raw, /\$argon2|password|key_hash|token_hash|usk_[A-Za-z0-9_-]{20,}/);
  }
});

test('API5 function level: moderators cannot delete or promote, keys never act above their creator, plain users reach no admin route', async (t) => {
  const api = await build(t);
  const mod = await api.withRole('moderator');
  const a = await api.register();
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}`, { token: mod.token })).status, 403);
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: mod.token, body: { role: 'moderator' } })).status,
    403,
  );
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: mod.token, body: { status: 'suspended' } })).status,
    200,
    'what a moderator may do',
  );
  assert.equal((await api.request('POST', '/api/v1/api-keys', { token: mod.token, body: { name: 'k' } })).status, 403);
  const admin = await api.admin();
  const second = await api.withRole('admin');
  const key = (await api.request('POST', '/api/v1/api-keys', { token: second.token, body: { name: 'admin key' } })).body
    .data.key;
  await api.request('PATCH', `/api/v1/users/${second.id}`, { token: admin.token, body: { role: 'user' } });
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${a.id}`, { apiKey: key })).status,
    403,
    'the key follows its demoted creator',
  );
  const plain = await api.user();
  for (const [method, url, body] of [
    ['GET', '/api/v1/users', undefined],
    ['GET', '/api/v1/api-keys', undefined],
    ['POST', '/api/v1/api-keys', { name: 'x' }],
    ['GET', '/api/v1/audit-events', undefined],
    ['POST', '/api/users/profiles', { username: 'x_y_z', email: 'x@y.co' }],
  ] as const) {
    assert.equal((await api.request(method, url, { token: plain.token, body })).status, 403, `${method} ${url}`);
  }
});

const hmac = (header: object, claims: object, secret: Buffer | string) => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

test('tokens: alg none, a wrong algorithm, a bad signature, expired, a deleted or suspended user, a refresh token as access token: all 401 with WWW-Authenticate', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  const [header, payload, signature] = a.token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const row = await currentKeyRow(api);
  assert.equal(row.kid, kid);
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const cases: Record<string, string> = {
    'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url')}.${payload}.`,
    // The classic confusion: the published public key used as an HMAC secret.
    'HS256 with the public key as secret': hmac({ alg: 'HS256', typ: 'JWT', kid }, claims, row.public_jwk!),
    'wrong algorithm (ES384 header on the ES256 key)': await forge(api, claims, { alg: 'ES384' }),
    'bad signature': `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    'another key with the same kid': signWith(other, 'ES256', { alg: 'ES256', typ: 'JWT', kid }, claims),
    'another issuer': await forge(api, { ...claims, iss: 'https://evil.example' }),
    expired: await forge(api, { ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 }),
    'refresh token as access token': a.refresh,
  };
  for (const [name, token] of Object.entries(cases)) {
    const res = await api.request('GET', `/api/v1/users/${a.id}`, { token });
    assert.equal(res.status, 401, name);
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="usher", error="invalid_token"/, name);
  }
  const suspended = await api.user();
  await api.request('PATCH', `/api/v1/users/${suspended.id}`, { token: admin.token, body: { status: 'suspended' } });
  assert.equal((await api.request('GET', `/api/v1/users/${suspended.id}`, { token: suspended.token })).status, 401);
  const deleted = await api.user();
  await api.request('DELETE', `/api/v1/users/${deleted.id}`, { token: admin.token });
  assert.equal((await api.request('GET', `/api/v1/users/${deleted.id}`, { token: deleted.token })).status, 401);
});

test('no enumeration: unknown users pay the same argon2 work, and get the same answer, as a wrong password', async (t) => {
  const real = await createPasswordHasher({ concurrency: 2, queueTimeout: 5 });
  let verifies = 0;
  const counting: PasswordHasher = {
    ...real,
    verify: async (...args) => (verifies++, real.verify(...args)),
    verifyDummy: async (...args) => (verifies++, real.verifyDummy(...args)),
  };
  const api = await build(t, {}, { hasher: counting });
  const a = await api.register();
  verifies = 0;
  const wrong = await api.request('POST', '/api/v1/auth/login', {
    body: { username: a.username, password: 'Wrong-guess-77' },
  });
  const unknown = await api.request('POST', '/api/v1/auth/login', {
    body: { username: 'no_such_user_here', password: 'Wrong-guess-77' },
  });
  const provisioned = await api.request('POST', '/api/users/profiles', {
    token: (await api.admin()).token,
    body: { username: 'no_password_yet', email: 'np@example.com' },
  });
  verifies = 0;
  const noPassword = await api.request('POST', '/api/v1/auth/login', {
    body: { username: provisioned.body.username, password: 'Wrong-guess-77' },
  });
  assert.equal(verifies, 1, 'a password-less account pays one verify');
  verifies = 0;
  await api.request('POST', '/api/v1/auth/login', {
    body: { username: 'another_unknown', password: 'Wrong-guess-77' },
  });
  assert.equal(verifies, 1, 'an unknown user pays one verify');
  const same = (e: Record<string, unknown>) => ({ ...e, timestamp: undefined });
  for (const res of [unknown, noPassword]) {
    assert.equal(res.status, wrong.status);
    assert.deepEqual(same(res.body.error), same(wrong.body.error));
  }
});
