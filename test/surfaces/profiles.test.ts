import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

test('POST /api/users/profiles: admins (token or key) create password-less users with preferences', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const username = unique('prof');
  const res = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    body: { username, email: `${username}@example.com`, preferences: { theme: 'dark', notifications: false } },
  });
  assert.equal(res.status, 201, res.raw);
  assert.equal(res.body.username, username);
  assert.equal(res.body.user_id, res.body.id);
  assert.deepEqual(res.body.preferences, { theme: 'dark', notifications: false });
  const login = await api.request('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
  assert.equal(login.status, 401, 'no password yet: cannot log in');

  const { key } = await api.apiKey();
  const other = unique('prof');
  const byKey = await api.request('POST', '/api/users/profiles', {
    apiKey: key,
    body: { username: other, email: `${other}@example.com` },
  });
  assert.equal(byKey.status, 201);
  assert.deepEqual(byKey.body.preferences, { theme: 'system', notifications: true });

  // Once an admin sets a password, the user can log in.
  await api.request('PATCH', `/api/v1/users/${res.body.id}`, { token: admin.token, body: { password: PASSWORD } });
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).status,
    200,
  );
});

test('profiles: 400 invalid, 401 anonymous, 403 non-admin create, 409 duplicate; errors in the envelope', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  const invalid = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    body: { username: 'x', email: 'nope', preferences: { theme: 5 } },
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error.code, 'VALIDATION_ERROR');
  assert.ok(invalid.body.error.details['preferences.theme']);
  const tooLong = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    body: { username: unique(), email: `${unique()}@example.com`, preferences: { theme: 'x'.repeat(33) } },
  });
  assert.equal(tooLong.status, 400);
  assert.equal(
    (await api.request('POST', '/api/users/profiles', { body: { username: unique(), email: 'a@b.co' } })).status,
    401,
  );
  const forbidden = await api.request('POST', '/api/users/profiles', {
    token: a.token,
    body: { username: unique(), email: `${unique()}@example.com` },
  });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  const dup = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    body: { username: a.username, email: 'fresh@example.com' },
  });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'DUPLICATE_RESOURCE');
  const dupEmail = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    body: { username: unique(), email: a.email },
  });
  assert.equal(dupEmail.status, 409);
  assert.equal(
    (
      await api.request('POST', '/api/users/profiles', {
        token: admin.token,
        raw: 'not json',
        headers: { 'content-type': 'application/json' },
      })
    ).status,
    400,
  );
});

test('GET/PUT/DELETE /api/users/profiles/{user_id} with ownership rules', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const b = await api.user();
  const got = await api.request('GET', `/api/users/profiles/${a.id}`, { token: a.token });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body.preferences, { theme: 'system', notifications: true });
  assert.equal((await api.request('GET', `/api/users/profiles/${b.id}`, { token: a.token })).status, 403);
  assert.equal((await api.request('GET', `/api/users/profiles/${a.id}`)).status, 401);

  const put = await api.request('PUT', `/api/users/profiles/${a.id}`, {
    token: a.token,
    body: { preferences: { notifications: false } },
  });
  assert.equal(put.status, 200);
  assert.deepEqual(put.body.preferences, { theme: 'system', notifications: false });
  const email = await api.request('PUT', `/api/users/profiles/${a.id}`, {
    token: a.token,
    body: { email: `p_${a.email}`, preferences: { theme: 'dark' } },
  });
  assert.equal(email.body.email, `p_${a.email}`);
  assert.deepEqual(email.body.preferences, { theme: 'dark', notifications: false });
  assert.equal(
    (await api.request('PUT', `/api/users/profiles/${a.id}`, { token: a.token, body: { email: 'bad' } })).status,
    400,
  );
  assert.equal(
    (await api.request('PUT', `/api/users/profiles/${a.id}`, { token: a.token, body: { email: b.email } })).status,
    409,
  );
  assert.equal(
    (await api.request('PUT', `/api/users/profiles/${b.id}`, { token: a.token, body: { preferences: { theme: 'x' } } }))
      .status,
    403,
  );
  // Preferences are the same core data on /api/v1.
  const v1 = await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token });
  assert.deepEqual(v1.body.data.preferences, { theme: 'dark', notifications: false });

  const admin = await api.admin();
  assert.equal(
    (await api.request('GET', '/api/users/profiles/01900000-0000-7000-8000-000000000000', { token: admin.token }))
      .status,
    404,
  );
  assert.equal(
    (
      await api.request('PUT', '/api/users/profiles/01900000-0000-7000-8000-000000000000', {
        token: admin.token,
        body: { email: 'q@example.com' },
      })
    ).status,
    404,
  );
  assert.equal((await api.request('DELETE', `/api/users/profiles/${b.id}`, { token: admin.token })).status, 204);
  assert.equal((await api.request('DELETE', `/api/users/profiles/${b.id}`, { token: admin.token })).status, 404);
  assert.equal((await api.request('GET', `/api/users/profiles/${b.id}`, { token: admin.token })).status, 404);
});
