import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

test('/v1 requires X-API-Key on every endpoint: 401 without one, with a bad one, or with only a bearer token', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', '/v1/users'],
    ['POST', '/v1/users', { username: unique(), email: 'x@example.com', password: PASSWORD }],
    ['GET', `/v1/users/${a.id}`],
    ['PUT', `/v1/users/${a.id}`, { email: 'y@example.com' }],
    ['DELETE', `/v1/users/${a.id}`],
    ['POST', '/v1/auth/login', { username: a.username, password: PASSWORD }],
    ['POST', '/v1/auth/logout'],
  ];
  for (const [method, url, body] of endpoints) {
    for (const auth of [{}, { apiKey: 'usk_wrong' }, { token: a.token }]) {
      const res = await api.request(method as 'GET', url, { body, ...auth });
      assert.equal(res.status, 401, `${method} ${url} ${JSON.stringify(auth)}`);
      assert.equal(res.body.error.code, 'AUTHENTICATION_REQUIRED');
      assert.ok(Array.isArray(res.body.error.details));
    }
  }
});

test('GET /v1/users: {users, total, limit, offset}, filters by status and role, 400 on bad parameters', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  await api.withRole('moderator');
  for (let i = 0; i < 3; i++) await api.register();
  const all = await api.request('GET', '/v1/users', { apiKey: key });
  assert.equal(all.status, 200);
  assert.deepEqual(Object.keys(all.body).sort(), ['limit', 'next_cursor', 'offset', 'total', 'users']);
  assert.equal(all.body.total, 5);
  assert.equal(all.body.limit, 20);
  assert.equal(all.body.offset, 0);
  assert.deepEqual(Object.keys(all.body.users[0]).sort(), [
    'created_at',
    'email',
    'id',
    'role',
    'status',
    'updated_at',
    'username',
  ]);
  const page = await api.request('GET', '/v1/users?limit=2&offset=2', { apiKey: key });
  assert.equal(page.body.users.length, 2);
  assert.deepEqual(
    page.body.users.map((u: any) => u.id),
    all.body.users.slice(2, 4).map((u: any) => u.id),
  );
  const mods = await api.request('GET', '/v1/users?role=moderator', { apiKey: key });
  assert.equal(mods.body.total, 1);
  assert.equal(mods.body.users[0].role, 'moderator');
  assert.equal((await api.request('GET', '/v1/users?status=pending', { apiKey: key })).body.total, 0);
  for (const qs of ['limit=0', 'limit=101', 'offset=-1', 'status=gone', 'role=root', 'limit=x']) {
    const res = await api.request('GET', `/v1/users?${qs}`, { apiKey: key });
    assert.equal(res.status, 400, qs);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.ok(res.body.error.details.length > 0 && typeof res.body.error.details[0].field === 'string', qs);
  }
});

test('POST /v1/users: pending by default, nested profile, 409 duplicates, 422 field errors, 400 malformed', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const username = unique('new');
  const res = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: {
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      role: 'user',
      profile: { first_name: 'John', last_name: 'Doe', phone: '+1234567890' },
    },
  });
  assert.equal(res.status, 201, res.raw);
  assert.equal(res.body.status, 'pending');
  assert.equal(res.body.role, 'user');
  assert.deepEqual(res.body.profile, { first_name: 'John', last_name: 'Doe', phone: '+1234567890', avatar_url: null });
  const active = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD, status: 'active' },
  });
  assert.equal(active.body.status, 'active');

  const dup = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: { username, email: 'other@example.com', password: PASSWORD },
  });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'DUPLICATE_RESOURCE');
  assert.deepEqual(dup.body.error.details[0].field, 'username');

  const invalid = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: { username: 'x', email: 'bad', password: 'short', profile: { phone: 'nope' } },
  });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.body.error.code, 'VALIDATION_ERROR');
  const fields = invalid.body.error.details.map((d: any) => d.field).sort();
  assert.deepEqual(fields, ['email', 'password', 'profile.phone', 'username']);
  assert.equal(
    (await api.request('POST', '/v1/users', { apiKey: key, body: { email: 'a@b.co' } })).status,
    422,
    'missing fields are field errors',
  );

  const malformed = await api.request('POST', '/v1/users', {
    apiKey: key,
    raw: '{"username":',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(malformed.status, 400);
  assert.equal(
    (
      await api.request('POST', '/v1/users', {
        apiKey: key,
        raw: '[1,2]',
        headers: { 'content-type': 'application/json' },
      })
    ).status,
    400,
  );
});

test('GET/PUT/DELETE /v1/users/{id}', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.user({ first_name: 'John' });
  const b = await api.register();
  const got = await api.request('GET', `/v1/users/${a.id}`, { apiKey: key });
  assert.equal(got.status, 200);
  assert.equal(got.body.profile.first_name, 'John');
  assert.ok(got.body.last_login);
  assert.equal(
    (await api.request('GET', '/v1/users/01900000-0000-7000-8000-000000000000', { apiKey: key })).status,
    404,
  );

  const put = await api.request('PUT', `/v1/users/${a.id}`, {
    apiKey: key,
    body: {
      email: `new_${a.email}`,
      status: 'active',
      role: 'moderator',
      profile: { first_name: 'John', last_name: 'Smith', phone: '+1987654321' },
    },
  });
  assert.equal(put.status, 200, put.raw);
  assert.equal(put.body.email, `new_${a.email}`);
  assert.equal(put.body.role, 'moderator');
  assert.equal(put.body.profile.last_name, 'Smith');
  assert.equal((await api.request('PUT', `/v1/users/${a.id}`, { apiKey: key, body: { email: b.email } })).status, 409);
  assert.equal((await api.request('PUT', `/v1/users/${a.id}`, { apiKey: key, body: { email: 'bad' } })).status, 422);
  assert.equal((await api.request('PUT', `/v1/users/${a.id}`, { apiKey: key, body: { nickname: 'x' } })).status, 422);
  assert.equal(
    (
      await api.request('PUT', '/v1/users/01900000-0000-7000-8000-000000000000', {
        apiKey: key,
        body: { email: 'z@example.com' },
      })
    ).status,
    404,
  );

  const del = await api.request('DELETE', `/v1/users/${b.id}`, { apiKey: key });
  assert.equal(del.status, 200);
  assert.equal(del.body.message, 'User deleted successfully');
  assert.match(del.body.deleted_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal((await api.request('GET', `/v1/users/${b.id}`, { apiKey: key })).status, 404);
  assert.equal((await api.request('DELETE', `/v1/users/${b.id}`, { apiKey: key })).status, 404);
  const admin = await api.admin();
  const adminDel = await api.request('DELETE', `/v1/users/${admin.id}`, { apiKey: key });
  assert.equal(adminDel.status, 403);
  assert.equal(adminDel.body.error.code, 'INSUFFICIENT_PERMISSIONS');
});

test('a user-role key has no self: it reads nobody, not even its creator, and sets no role', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey({ role: 'user' });
  const a = await api.register();
  assert.equal((await api.request('GET', '/v1/users', { apiKey: key })).status, 403);
  assert.equal((await api.request('GET', `/v1/users/${a.id}`, { apiKey: key })).status, 403);
  assert.equal((await api.request('GET', `/v1/users/${admin.id}`, { apiKey: key })).status, 403);
  const takeover = await api.request('PUT', `/v1/users/${admin.id}`, {
    apiKey: key,
    body: { email: 'attacker@example.com' },
  });
  assert.equal(takeover.status, 403);
  const setRole = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD, role: 'admin' },
  });
  assert.equal(setRole.status, 403);
});

test('POST /v1/auth/login and /v1/auth/logout', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.register();
  const login = await api.request('POST', '/v1/auth/login', {
    apiKey: key,
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(login.status, 200);
  assert.equal(login.body.token_type, 'bearer');
  assert.equal(login.body.expires_in, 3600);
  assert.deepEqual(login.body.user, { id: a.id, username: a.username, role: 'user' });
  const bad = await api.request('POST', '/v1/auth/login', {
    apiKey: key,
    body: { username: a.username, password: 'Wrong12345' },
  });
  assert.equal(bad.status, 401);
  assert.deepEqual(bad.body.error.details, []);

  const token = login.body.access_token;
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token })).status, 200);
  const noBearer = await api.request('POST', '/v1/auth/logout', { apiKey: key });
  assert.equal(noBearer.status, 401);
  const out = await api.request('POST', '/v1/auth/logout', {
    apiKey: key,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(out.status, 200);
  assert.deepEqual(out.body, { message: 'Logout successful' });
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token })).status, 401);
  assert.equal(
    (await api.request('POST', '/v1/auth/logout', { apiKey: key, headers: { authorization: `Bearer ${token}` } }))
      .status,
    401,
    'an ended token',
  );
});

test('/v1 rate limits: 100/min per API key; auth endpoints 10/min per IP; 429 carries retry_after', async (t) => {
  const api = await build(t, {
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
    USHER_RATE_LIMIT_ANON_PER_MIN: '1000',
    USHER_RATE_LIMIT_AUTH_PER_MIN: '5',
    USHER_RATE_LIMIT_LOGIN_PER_MIN: '3',
  });
  // The admin spends 4 of its own 5: one lookup, three keys.
  const [{ key }, other, third] = [await api.apiKey(), await api.apiKey(), await api.apiKey()];
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await api.request('GET', '/v1/users', { apiKey: key })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  const limited = await api.request('GET', '/v1/users', { apiKey: key });
  assert.equal(limited.headers['x-ratelimit-limit'], '5');
  assert.equal(typeof limited.body.error.retry_after, 'number');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal(
    (await api.request('GET', '/v1/users', { apiKey: other.key })).status,
    200,
    'each key has its own counter',
  );
  const logins = [];
  for (let i = 0; i < 3; i++)
    logins.push(
      (
        await api.request('POST', '/v1/auth/login', {
          apiKey: third.key,
          body: { username: 'nobody_z', password: PASSWORD },
        })
      ).status,
    );
  assert.deepEqual(logins, [401, 401, 429], 'the login limit is per IP, whatever the key (the admin used one)');
});
