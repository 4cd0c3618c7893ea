import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

/** Bad input gets a clear 4xx in the envelope, never a 500, and changes nothing. */

function assertEnvelope(res: { status: number; body: any; raw: string }, status: number, code: string) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.body.error.code, code, res.raw);
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(typeof res.body.error.details, 'object');
  assert.doesNotMatch(
    res.raw,
    /at [\w.<>]+ \(|\.ts:\d+|SELECT|INSERT|sqlite|argon2/i,
    'no stack, SQL or hash in a response',
  );
}

async function countUsers(api: Awaited<ReturnType<typeof build>>) {
  const admin = await api.admin();
  return (await api.request('GET', '/api/v1/users', { token: admin.token })).body.pagination.total as number;
}

test('malformed JSON, empty JSON, wrong top-level types: 400 VALIDATION_ERROR', async (t) => {
  const api = await build(t);
  const before = await countUsers(api);
  const json = { 'content-type': 'application/json' };
  for (const raw of ['{"username": "x",', '{bad json}', 'null', '[]', '"string"', '42', '\u0000']) {
    assertEnvelope(await api.request('POST', '/api/v1/users', { raw, headers: json }), 400, 'VALIDATION_ERROR');
  }
  assertEnvelope(await api.request('POST', '/api/v1/users', { raw: '', headers: json }), 400, 'VALIDATION_ERROR');
  const missing = await api.request('POST', '/api/v1/users');
  assertEnvelope(missing, 400, 'VALIDATION_ERROR');
  assert.deepEqual(Object.keys(missing.body.error.details).sort(), ['email', 'password', 'username']);
  assert.equal(await countUsers(api), before);
});

test('wrong field types are 400 with a message per field (no coercion of JSON bodies)', async (t) => {
  const api = await build(t);
  const res = await api.request('POST', '/api/v1/users', {
    body: {
      username: 12345,
      email: ['a@b.co'],
      password: { p: 1 },
      first_name: true,
      preferences: { notifications: 'yes' },
    },
  });
  assertEnvelope(res, 400, 'VALIDATION_ERROR');
  assert.equal(res.body.error.details.username, 'Must be a string');
  assert.equal(res.body.error.details.email, 'Must be a string');
  assert.match(res.body.error.details.first_name, /string/);
  assert.equal(res.body.error.details['preferences.notifications'], 'Must be true or false');
});

test('prototype pollution attempts are refused', async (t) => {
  const api = await build(t);
  const username = unique();
  const raw = `{"username":"${username}","email":"${username}@example.com","password":"${PASSWORD}","__proto__":{"role":"admin"}}`;
  const res = await api.request('POST', '/api/v1/users', { raw, headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 400);
  const ctor = `{"username":"${username}","email":"${username}@example.com","password":"${PASSWORD}","constructor":{"prototype":{"role":"admin"}}}`;
  assert.equal(
    (await api.request('POST', '/api/v1/users', { raw: ctor, headers: { 'content-type': 'application/json' } })).status,
    400,
  );
});

test('bodies over 1 MB are 413 in the envelope', async (t) => {
  const api = await build(t);
  const raw = JSON.stringify({
    username: 'big_one',
    email: 'big@example.com',
    password: PASSWORD,
    bio: 'x'.repeat(1024 * 1024),
  });
  assertEnvelope(
    await api.request('POST', '/api/v1/users', { raw, headers: { 'content-type': 'application/json' } }),
    413,
    'PAYLOAD_TOO_LARGE',
  );
});

test('unsupported content types are 415 in the envelope', async (t) => {
  const api = await build(t);
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ]) {
    assertEnvelope(
      await api.request('POST', '/api/v1/users', { raw: 'username=x', headers: { 'content-type': type } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  const charset = await api.request('POST', '/api/v1/auth/login', {
    raw: JSON.stringify({ username: 'x_y_z', password: 'Wrong1234' }),
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
  assert.equal(charset.status, 401);
});

test('hostile strings are stored verbatim or refused, never executed', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const hostile = [
    "Robert'); DROP TABLE users;--",
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '😀 Ünïcödé ñame',
    '%00',
    "' OR '1'='1",
  ];
  for (const value of hostile) {
    const res = await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { first_name: value } });
    assert.equal(res.status, 200, value);
    assert.equal(res.body.data.first_name, value);
  }
  const admin = await api.admin();
  const search = await api.request('GET', `/api/v1/users?search=${encodeURIComponent("' OR 1=1 --")}`, {
    token: admin.token,
  });
  assert.equal(search.status, 200);
  assert.equal(search.body.pagination.total, 0);
  for (const value of ['a\u0000b', 'line\nbreak', '\ud800lone surrogate']) {
    assertEnvelope(
      await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { last_name: value } }),
      400,
      'VALIDATION_ERROR',
    );
  }
  assertEnvelope(
    await api.request('GET', `/api/v1/users?search=${encodeURIComponent('a\u0000')}`, { token: admin.token }),
    400,
    'VALIDATION_ERROR',
  );
  assertEnvelope(
    await api.request('GET', `/api/v1/users?search=${'x'.repeat(101)}`, { token: admin.token }),
    400,
    'VALIDATION_ERROR',
  );
  assertEnvelope(
    await api.request('GET', `/api/v1/users/${'x'.repeat(150)}`, { token: admin.token }),
    404,
    'RESOURCE_NOT_FOUND',
  );
  assertEnvelope(
    await api.request('GET', `/api/v1/users/${encodeURIComponent("1' OR '1'='1")}`, { token: admin.token }),
    404,
    'RESOURCE_NOT_FOUND',
  );
});

test('unknown routes and methods answer in the envelope', async (t) => {
  const api = await build(t);
  assertEnvelope(await api.request('GET', '/api/v1/nope'), 404, 'RESOURCE_NOT_FOUND');
  assertEnvelope(await api.request('GET', '/nope'), 404, 'RESOURCE_NOT_FOUND');
  assertEnvelope(await api.request('POST', '/api/v1/users/some-id'), 404, 'RESOURCE_NOT_FOUND');
});

test('credentials in odd shapes are 401, not 500', async (t) => {
  const api = await build(t);
  const a = await api.user();
  for (const authorization of [
    'Bearer',
    'Basic dXNlcjpwYXNz',
    'Bearer    ',
    `Bearer ${'a'.repeat(5000)}`,
    'Bearer a.b.c',
    'Token x',
    'bearer ' + a.token.slice(0, -2),
  ]) {
    assertEnvelope(
      await api.request('GET', `/api/v1/users/${a.id}`, { headers: { authorization } }),
      401,
      'AUTHENTICATION_REQUIRED',
    );
  }
  assertEnvelope(
    await api.request('GET', `/api/v1/users/${a.id}`, { apiKey: 'usk_nonsense' }),
    401,
    'AUTHENTICATION_REQUIRED',
  );
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { headers: { authorization: `bearer ${a.token}` } })).status,
    200,
    'scheme is case-insensitive',
  );
});

test('every response carries a request id; a sane incoming one is echoed', async (t) => {
  const api = await build(t);
  const res = await api.request('GET', '/health', { headers: { 'x-request-id': 'trace-123' } });
  assert.equal(res.headers['x-request-id'], 'trace-123');
  const bad = await api.request('GET', '/health', { headers: { 'x-request-id': 'has spaces and $' } });
  assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('every surface answers bad input in its own envelope: malformed JSON, 415, 413, unknown routes', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const admin = await api.admin();
  const json = { 'content-type': 'application/json' };
  const surfaces: Array<[string, string, Record<string, string>, (body: any) => boolean]> = [
    ['POST', '/v1/users', { 'x-api-key': key }, (b) => Array.isArray(b.error.details)],
    [
      'POST',
      '/api/users/profiles',
      { authorization: `Bearer ${admin.token}` },
      (b) => !Array.isArray(b.error.details) && !('path' in b.error),
    ],
    ['POST', '/api/register/', {}, (b) => !Array.isArray(b.error.details) && !('path' in b.error)],
    ['PUT', '/api/profile/', { authorization: `Token ${admin.token}` }, (b) => !Array.isArray(b.error.details)],
  ];
  for (const [method, url, headers, shape] of surfaces) {
    const malformed = await api.request(method as 'POST', url, { raw: '{"a":', headers: { ...headers, ...json } });
    assertEnvelope(malformed, 400, 'VALIDATION_ERROR');
    assert.ok(shape(malformed.body), `${url} envelope`);
    assertEnvelope(
      await api.request(method as 'POST', url, {
        raw: 'a=b',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const limit = url.startsWith('/api/register') || url.startsWith('/api/profile') ? 3 : 1;
    const big = JSON.stringify({ bio: 'x'.repeat(limit * 1024 * 1024) });
    assertEnvelope(
      await api.request(method as 'POST', url, { raw: big, headers: { ...headers, ...json } }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  }
  assertEnvelope(await api.request('GET', '/v1/nope', { apiKey: key }), 404, 'RESOURCE_NOT_FOUND');
  assertEnvelope(
    await api.request('GET', '/api/users/profiles/a/b', { token: admin.token }),
    404,
    'RESOURCE_NOT_FOUND',
  );
  assertEnvelope(await api.request('GET', '/api/nope'), 404, 'RESOURCE_NOT_FOUND');
});

test('found by fuzzing: NUL bytes in URLs, login names and cursors, and over-long path parameters, answer 4xx in the envelope', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey();
  assertEnvelope(await api.request('GET', '/pictures/a%00b'), 400, 'VALIDATION_ERROR');
  assertEnvelope(await api.request('GET', '/api/v1/users/a%00b', { token: admin.token }), 400, 'VALIDATION_ERROR');
  assertEnvelope(await api.request('GET', '/api/v1/users?search=%00', { token: admin.token }), 400, 'VALIDATION_ERROR');
  assertEnvelope(
    await api.request('POST', '/api/v1/auth/login', { body: { username: 'a\u0000b', password: 'Wrong-guess-1' } }),
    401,
    'AUTHENTICATION_REQUIRED',
  );
  const cursor = Buffer.from(JSON.stringify({ s: 'created_at', o: 'desc', v: 'x\u0000', id: 'y' })).toString(
    'base64url',
  );
  assertEnvelope(
    await api.request('GET', `/api/v1/users?cursor=${cursor}`, { token: admin.token }),
    400,
    'VALIDATION_ERROR',
  );
  const long = 'x'.repeat(5000);
  assertEnvelope(await api.request('GET', `/api/v1/users/${long}`, { token: admin.token }), 414, 'REQUEST_FAILED');
  const keyed = await api.request('DELETE', `/v1/users/${long}`, { apiKey: key });
  assert.equal(keyed.status, 414);
  assert.ok(Array.isArray(keyed.body.error.details), 'the /v1 envelope');
  assertEnvelope(
    await api.request('GET', `/api/users/profiles/${long}`, { token: admin.token }),
    414,
    'REQUEST_FAILED',
  );
});
