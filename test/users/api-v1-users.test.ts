import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test('POST /api/v1/users registers an active user and returns the spec shape', async (t) => {
  const api = await build(t);
  const username = unique('john');
  const res = await api.request('POST', '/api/v1/users', {
    body: {
      username,
      email: `${username}@Example.com`,
      password: PASSWORD,
      first_name: 'John',
      last_name: 'Doe',
      phone_number: '+1-555-0123',
      date_of_birth: '1990-01-15',
    },
  });
  assert.equal(res.status, 201);
  const u = res.body.data;
  assert.match(u.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(u.username, username);
  assert.equal(u.email, `${username}@Example.com`);
  assert.equal(u.first_name, 'John');
  assert.equal(u.last_name, 'Doe');
  assert.equal(u.phone_number, '+1-555-0123');
  assert.equal(u.date_of_birth, '1990-01-15');
  assert.equal(u.status, 'active');
  assert.equal(u.role, 'user');
  assert.deepEqual(u.preferences, { theme: 'system', notifications: true });
  assert.match(u.created_at, ISO);
  assert.equal(u.created_at, u.updated_at);
  assert.equal(u.last_login, null);
  assert.equal(res.body.meta.version, '1.0');
  assert.match(res.body.meta.timestamp, ISO);
  assert.ok(!('password' in u) && !('password_hash' in u));
  assert.doesNotMatch(res.raw, /argon2/);
});

test('registration validates every field and reports each one in details', async (t) => {
  const api = await build(t);
  const res = await api.request('POST', '/api/v1/users', {
    body: {
      username: 'ab',
      email: 'not-an-email',
      password: 'short',
      first_name: '',
      phone_number: 'call me',
      date_of_birth: '2999-01-01',
      bio: 'x'.repeat(501),
    },
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'VALIDATION_ERROR');
  assert.equal(res.body.error.path, '/api/v1/users');
  assert.match(res.body.error.timestamp, ISO);
  const d = res.body.error.details;
  assert.equal(d.username, 'Username must be at least 3 characters');
  assert.equal(d.email, 'Email format is invalid');
  assert.match(d.password, /at least 8/);
  assert.match(d.first_name, /empty/);
  assert.match(d.phone_number, /valid international/);
  assert.match(d.date_of_birth, /future/);
  assert.match(d.bio, /at most 500/);
});

test('field rules: username charset and length, password complexity, real dates, email length', async (t) => {
  const api = await build(t);
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ username: 'has space' }, 'username', /letters, digits/],
    [{ username: 'a'.repeat(51) }, 'username', /at most 50/],
    [{ password: 'allletters' }, 'password', /letter and one digit/],
    [{ password: '12345678' }, 'password', /letter and one digit/],
    [{ password: `a1${'x'.repeat(127)}` }, 'password', /at most 128/],
    [{ date_of_birth: '1990-02-30' }, 'date_of_birth', /real date/],
    [{ date_of_birth: '15/01/1990' }, 'date_of_birth', /ISO 8601/],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email', /at most 255/],
    [{ first_name: 'x'.repeat(101) }, 'first_name', /at most 100/],
    [{ first_name: 'Bad\u0000Name' }, 'first_name', /not allowed/],
  ];
  for (const [fields, field, message] of cases) {
    const username = unique();
    const res = await api.request('POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD, ...fields },
    });
    assert.equal(res.status, 400, JSON.stringify(fields));
    assert.match(res.body.error.details[field], message, JSON.stringify(fields));
  }
  const ok = await api.request('POST', '/api/v1/users', {
    body: {
      username: 'Ok_user-1',
      email: 'ok.user+tag@sub.example.org',
      password: 'pässwörd9',
      phone_number: '+44 20 7946 0958',
    },
  });
  assert.equal(ok.status, 201, ok.raw);
});

test('duplicate username or email is 409 DUPLICATE_RESOURCE, case-insensitively', async (t) => {
  const api = await build(t);
  const a = await api.register();
  const dupName = await api.request('POST', '/api/v1/users', {
    body: { username: a.username.toUpperCase(), email: 'other@example.com', password: PASSWORD },
  });
  assert.equal(dupName.status, 409);
  assert.equal(dupName.body.error.code, 'DUPLICATE_RESOURCE');
  assert.deepEqual(dupName.body.error.details, { field: 'username', value: a.username.toUpperCase() });
  const dupEmail = await api.request('POST', '/api/v1/users', {
    body: { username: unique(), email: a.email.toUpperCase(), password: PASSWORD },
  });
  assert.equal(dupEmail.status, 409);
  assert.equal(dupEmail.body.error.details.field, 'email');
});

test('anonymous registration cannot set role or status (403, nothing created)', async (t) => {
  const api = await build(t);
  const username = unique();
  for (const extra of [{ role: 'admin' }, { status: 'active' }]) {
    const res = await api.request('POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD, ...extra },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  }
  const admin = await api.admin();
  const list = await api.request('GET', `/api/v1/users?search=${username}`, { token: admin.token });
  assert.equal(list.body.pagination.total, 0);
});

test('unknown and server-owned fields are refused (mass assignment)', async (t) => {
  const api = await build(t);
  const username = unique();
  const res = await api.request('POST', '/api/v1/users', {
    body: {
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      id: 'x',
      password_hash: 'x',
      created_at: '2020-01-01T00:00:00Z',
      is_admin: true,
    },
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.details.id, 'Unknown field');
  assert.equal(res.body.error.details.password_hash, 'Unknown field');
  assert.equal(res.body.error.details.is_admin, 'Unknown field');
});

test('GET /users/{id}: self 200 with full fields; other user 403; unknown 404 for admins; no token 401', async (t) => {
  const api = await build(t);
  const a = await api.user({ bio: 'hello' });
  const b = await api.user();
  const self = await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token });
  assert.equal(self.status, 200);
  assert.equal(self.body.data.bio, 'hello');
  assert.match(self.body.data.last_login, ISO);
  assert.equal(self.body.data.profile_picture_url, null);

  const other = await api.request('GET', `/api/v1/users/${b.id}`, { token: a.token });
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  // A plain user cannot tell an existing id from a missing one.
  const missingForUser = await api.request('GET', '/api/v1/users/01900000-0000-7000-8000-000000000000', {
    token: a.token,
  });
  assert.equal(missingForUser.status, 403);

  const admin = await api.admin();
  const missing = await api.request('GET', '/api/v1/users/01900000-0000-7000-8000-000000000000', {
    token: admin.token,
  });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'RESOURCE_NOT_FOUND');
  assert.equal(missing.body.error.message, 'User not found');
  assert.deepEqual(missing.body.error.details, { id: '01900000-0000-7000-8000-000000000000' });

  const anon = await api.request('GET', `/api/v1/users/${a.id}`);
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 'AUTHENTICATION_REQUIRED');
  const garbage = await api.request('GET', `/api/v1/users/${a.id}`, { token: 'not.a.jwt' });
  assert.equal(garbage.status, 401);
});

test('PATCH changes only the given fields; null clears; updated_at moves', async (t) => {
  const api = await build(t);
  const a = await api.user({ first_name: 'John', last_name: 'Doe', bio: 'old' });
  const before = (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).body.data;
  const res = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { first_name: 'Jonathan', bio: null, preferences: { theme: 'dark' } },
  });
  assert.equal(res.status, 200, res.raw);
  const after = res.body.data;
  assert.equal(after.first_name, 'Jonathan');
  assert.equal(after.last_name, 'Doe');
  assert.equal(after.bio, null);
  assert.deepEqual(after.preferences, { theme: 'dark', notifications: true });
  assert.ok(after.updated_at > before.updated_at, `${after.updated_at} > ${before.updated_at}`);
  assert.equal(after.created_at, before.created_at);
  const again = await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { last_name: 'Doe' } });
  assert.ok(again.body.data.updated_at > after.updated_at);
});

test('PUT replaces the PUT fields, clears omitted optional ones, leaves the rest', async (t) => {
  const api = await build(t);
  const a = await api.user({
    first_name: 'John',
    last_name: 'Doe',
    phone_number: '+1-555-0123',
    bio: 'bio',
    preferences: { theme: 'dark' },
  });
  const res = await api.request('PUT', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { email: `new_${a.email}`, first_name: 'John', bio: 'Updated bio text' },
  });
  assert.equal(res.status, 200, res.raw);
  const u = res.body.data;
  assert.equal(u.email, `new_${a.email}`);
  assert.equal(u.first_name, 'John');
  assert.equal(u.last_name, null);
  assert.equal(u.phone_number, null);
  assert.equal(u.bio, 'Updated bio text');
  assert.equal(u.username, a.username);
  assert.deepEqual(u.preferences, { theme: 'dark', notifications: true });
});

test('PUT/PATCH: validation 400, taken email 409, other user 403, unknown id 404, nothing changes on refusal', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const b = await api.user();
  const bad = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { email: 'nope', first_name: 'Fine' },
  });
  assert.equal(bad.status, 400);
  const taken = await api.request('PUT', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { email: b.email.toUpperCase() },
  });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.details.field, 'email');
  const other = await api.request('PATCH', `/api/v1/users/${b.id}`, { token: a.token, body: { first_name: 'Evil' } });
  assert.equal(other.status, 403);
  const admin = await api.admin();
  const missing = await api.request('PATCH', '/api/v1/users/01900000-0000-7000-8000-000000000000', {
    token: admin.token,
    body: { first_name: 'X' },
  });
  assert.equal(missing.status, 404);
  const now = (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).body.data;
  assert.equal(now.first_name, null);
  assert.equal(now.email, a.email);
  const bNow = (await api.request('GET', `/api/v1/users/${b.id}`, { token: b.token })).body.data;
  assert.equal(bNow.first_name, null);
});

test('a user cannot set its own role or status (403, unchanged)', async (t) => {
  const api = await build(t);
  const a = await api.user();
  for (const body of [{ role: 'admin' }, { status: 'active' }, { role: 'user', first_name: 'Sneaky' }]) {
    const res = await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body });
    assert.equal(res.status, 403, JSON.stringify(body));
  }
  const me = (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).body.data;
  assert.equal(me.role, 'user');
  assert.equal(me.first_name, null);
});

test('moderators read and list everyone and change the status of non-admins only', async (t) => {
  const api = await build(t);
  const mod = await api.withRole('moderator');
  const a = await api.user({ first_name: 'Target' });
  const admin = await api.admin();
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: mod.token })).status, 200);
  assert.equal((await api.request('GET', '/api/v1/users', { token: mod.token })).status, 200);
  const suspend = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: mod.token,
    body: { status: 'suspended' },
  });
  assert.equal(suspend.status, 200);
  assert.equal(suspend.body.data.status, 'suspended');
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: mod.token, body: { first_name: 'Changed' } })).status,
    403,
  );
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: mod.token, body: { role: 'moderator' } })).status,
    403,
  );
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${admin.id}`, { token: mod.token, body: { status: 'inactive' } }))
      .status,
    403,
  );
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}`, { token: mod.token })).status, 403);
});

test('admins set roles; the last active admin cannot be demoted or deactivated (422); admins cannot be deleted (403)', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const demote = await api.request('PATCH', `/api/v1/users/${admin.id}`, {
    token: admin.token,
    body: { role: 'user' },
  });
  assert.equal(demote.status, 422);
  assert.equal(demote.body.error.code, 'UNPROCESSABLE_ENTITY');
  const deactivate = await api.request('PATCH', `/api/v1/users/${admin.id}`, {
    token: admin.token,
    body: { status: 'inactive' },
  });
  assert.equal(deactivate.status, 422);
  const del = await api.request('DELETE', `/api/v1/users/${admin.id}`, { token: admin.token });
  assert.equal(del.status, 403);
  assert.equal(del.body.error.code, 'INSUFFICIENT_PERMISSIONS');

  const second = await api.withRole('admin');
  const promoted = await api.request('GET', `/api/v1/users/${second.id}`, { token: admin.token });
  assert.equal(promoted.body.data.role, 'admin');
  // With a second active admin, the first may step down.
  const stepDown = await api.request('PATCH', `/api/v1/users/${admin.id}`, {
    token: second.token,
    body: { role: 'moderator' },
  });
  assert.equal(stepDown.status, 200);
  assert.equal(stepDown.body.data.role, 'moderator');
  const last = await api.request('PATCH', `/api/v1/users/${second.id}`, {
    token: second.token,
    body: { role: 'user' },
  });
  assert.equal(last.status, 422);
});

test('DELETE soft-deletes: 204, then gone from reads, lists and logins; username is free again', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  const del = await api.request('DELETE', `/api/v1/users/${a.id}`, { token: admin.token });
  assert.equal(del.status, 204);
  assert.equal(del.raw, '');
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: admin.token })).status, 404);
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}`, { token: admin.token })).status, 404);
  const list = await api.request('GET', `/api/v1/users?search=${a.username}`, { token: admin.token });
  assert.equal(list.body.pagination.total, 0);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401, 'sessions ended');
  const login = await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } });
  assert.equal(login.status, 401);
  const again = await api.request('POST', '/api/v1/users', {
    body: { username: a.username, email: a.email, password: PASSWORD },
  });
  assert.equal(again.status, 201);
});

test('a user may delete its own account', async (t) => {
  const api = await build(t);
  const a = await api.user();
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}`, { token: a.token })).status, 204);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
});

test('GET /users: plain users 403; pagination, sort, order, status and search', async (t) => {
  const api = await build(t);
  const a = await api.user();
  assert.equal((await api.request('GET', '/api/v1/users', { token: a.token })).status, 403);
  const admin = await api.admin();
  const tag = unique('zq');
  const names = ['Charlie', 'alice', 'Bob'];
  for (const [i, name] of names.entries()) {
    await api.register({
      username: `${tag}_${name}`,
      email: `${name.toLowerCase()}.${tag}@example.com`,
      first_name: i === 0 ? 'Zorro' : 'Plain',
      last_name: 'McTest',
    });
  }
  const byName = await api.request('GET', `/api/v1/users?search=${tag}&sort=username&order=asc`, {
    token: admin.token,
  });
  assert.equal(byName.status, 200);
  assert.deepEqual(
    byName.body.data.map((u: any) => u.username),
    [`${tag}_alice`, `${tag}_Bob`, `${tag}_Charlie`],
  );
  assert.deepEqual(byName.body.pagination, {
    page: 1,
    limit: 20,
    total: 3,
    pages: 1,
    has_next: false,
    has_prev: false,
    next_cursor: null,
  });

  const page2 = await api.request('GET', `/api/v1/users?search=${tag}&sort=username&order=asc&limit=2&page=2`, {
    token: admin.token,
  });
  assert.deepEqual(
    page2.body.data.map((u: any) => u.username),
    [`${tag}_Charlie`],
  );
  assert.deepEqual(page2.body.pagination, {
    page: 2,
    limit: 2,
    total: 3,
    pages: 2,
    has_next: false,
    has_prev: true,
    next_cursor: null,
  });

  const newestFirst = await api.request('GET', `/api/v1/users?search=${tag}`, { token: admin.token });
  assert.equal(newestFirst.body.data[0].username, `${tag}_Bob`);

  const byFirstName = await api.request('GET', '/api/v1/users?search=ZORRO', { token: admin.token });
  assert.ok(byFirstName.body.data.some((u: any) => u.username === `${tag}_Charlie`));
  const byEmail = await api.request('GET', `/api/v1/users?search=${encodeURIComponent(`bob.${tag}@`)}`, {
    token: admin.token,
  });
  assert.equal(byEmail.body.pagination.total, 1);
  const wildcard = await api.request('GET', '/api/v1/users?search=%25', { token: admin.token });
  assert.equal(wildcard.body.pagination.total, 0, 'a % in the search is literal, not a wildcard');

  await api.request('PATCH', `/api/v1/users/${byName.body.data[0].id}`, {
    token: admin.token,
    body: { status: 'suspended' },
  });
  const suspended = await api.request('GET', `/api/v1/users?status=suspended&search=${tag}`, { token: admin.token });
  assert.deepEqual(
    suspended.body.data.map((u: any) => u.username),
    [`${tag}_alice`],
  );
});

test('GET /users: bad values of known parameters are 400; unknown parameters are 400 too, named', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  for (const qs of [
    'limit=0',
    'limit=101',
    'limit=abc',
    'page=0',
    'page=-1',
    'sort=password_hash',
    'order=sideways',
    'status=archived',
    'limit=1.5',
  ]) {
    const res = await api.request('GET', `/api/v1/users?${qs}`, { token: admin.token });
    assert.equal(res.status, 400, qs);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.ok(Object.keys(res.body.error.details).length > 0, qs);
  }
  const unknown = await api.request('GET', '/api/v1/users?foo=bar&limit=100', { token: admin.token });
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.body.error.details, { foo: 'Unknown query parameter' });
  const ok = await api.request('GET', '/api/v1/users?limit=100', { token: admin.token });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.pagination.limit, 100);
});

test('password change through PATCH ends the other sessions but keeps the current one', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const second = await api.login(a.username);
  const res = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { password: 'N3w-Orbit-Pass!' },
  });
  assert.equal(res.status, 200);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: second.access_token })).status, 401);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    401,
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: 'N3w-Orbit-Pass!' } }))
      .status,
    200,
  );
});

test('cursor pagination walks every user once, in order, for each sort and order; bad cursors are 400', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const tag = unique('cur');
  for (let i = 0; i < 7; i++)
    await api.register({ username: `${tag}_${String.fromCharCode(103 - i)}${i}`, email: `${i}${tag}@example.com` });
  for (const sort of ['created_at', 'username', 'email']) {
    for (const order of ['asc', 'desc']) {
      const all = await api.request('GET', `/api/v1/users?search=${tag}&sort=${sort}&order=${order}&limit=100`, {
        token: admin.token,
      });
      const expected = all.body.data.map((u: any) => u.id);
      assert.equal(expected.length, 7);
      const walked: string[] = [];
      let cursor: string | null = null;
      let first = true;
      do {
        const url: string = `/api/v1/users?search=${tag}&sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await api.request('GET', url, { token: admin.token });
        assert.equal(res.status, 200, res.raw);
        assert.equal(res.body.pagination.total, 7);
        assert.equal(res.body.pagination.page, first ? 1 : null);
        assert.equal(res.body.pagination.has_next, res.body.pagination.next_cursor !== null);
        walked.push(...res.body.data.map((u: any) => u.id));
        cursor = res.body.pagination.next_cursor;
        first = false;
      } while (cursor);
      assert.deepEqual(walked, expected, `${sort} ${order}`);
    }
  }
  const c = (await api.request('GET', `/api/v1/users?search=${tag}&limit=3`, { token: admin.token })).body.pagination
    .next_cursor;
  for (const qs of [
    `cursor=${c}&page=2`,
    `cursor=${c}&sort=username`,
    `cursor=${c}&order=asc`,
    'cursor=garbage',
    `cursor=${Buffer.from('{"v":1}').toString('base64url')}`,
  ]) {
    const res = await api.request('GET', `/api/v1/users?search=${tag}&${qs}`, { token: admin.token });
    assert.equal(res.status, 400, qs);
    assert.ok(res.body.error.details.cursor, qs);
  }
});

test('search: substrings of 3+ characters, prefixes of 1-2, quotes and wildcards literal, names in any script', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.register({ first_name: 'Zoë "Q" 50%_off', last_name: 'Ångström' });
  const find = async (term: string) =>
    (
      await api.request('GET', `/api/v1/users?search=${encodeURIComponent(term)}`, { token: admin.token })
    ).body.data.map((u: any) => u.id);
  for (const term of [
    'zoë',
    'ZOË',
    '"q"',
    '50%_',
    'ångs',
    'STRÖM',
    'Ån',
    'z',
    'zO',
    a.username.slice(2, 9),
    a.email.slice(4, -6),
  ]) {
    assert.deepEqual(await find(term), [a.id], term);
  }
  // One or two characters match the start of username, email, first or last name only.
  for (const term of ['ö', 'ng', '"', '""', '50%x', 'zoë ång', 'q" 5x']) assert.deepEqual(await find(term), [], term);
  // Users holding the same trigrams in another order are candidates for the index, not matches.
  const tag = unique('t').slice(-6);
  const first = await api.register({ username: `abc${tag}_def` });
  await api.register({ username: `def${tag}_abc` });
  assert.deepEqual(await find(`abc${tag}_d`), [first.id]);
  assert.deepEqual(await find(`c${tag}_de`), [first.id]);
  // The index follows updates.
  await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { first_name: 'Renamed' } });
  assert.deepEqual(await find('zoë'), []);
  assert.deepEqual(await find('renamed'), [a.id]);
});
