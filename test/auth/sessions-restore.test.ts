import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

/** Seeing and ending sessions; bringing deleted users back. */

test("a user lists its live sessions (which one is current), ends one (404 for another user's), and ends them all", async (t) => {
  const api = await build(t, { USHER_TRUST_PROXY: 'true' });
  const a = await api.register();
  const login = async (ua: string, ip: string) =>
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: { 'user-agent': ua, 'x-forwarded-for': ip },
        body: { username: a.username, password: PASSWORD },
      })
    ).body;
  const phone = await login('Phone/1.0', '203.0.113.10');
  const laptop = await login('Laptop/2.0', '203.0.113.20');
  const list = await api.request('GET', '/api/v1/auth/sessions', { token: laptop.access_token });
  assert.equal(list.status, 200);
  assert.equal(list.body.data.length, 2);
  const [newest, older] = list.body.data;
  assert.deepEqual([newest.user_agent, newest.ip, newest.current], ['Laptop/2.0', '203.0.113.20', true]);
  assert.deepEqual([older.user_agent, older.ip, older.current], ['Phone/1.0', '203.0.113.10', false]);
  for (const key of ['id', 'created_at', 'last_used_at', 'expires_at']) assert.ok(newest[key], key);

  const b = await api.user();
  assert.equal(
    (await api.request('DELETE', `/api/v1/auth/sessions/${older.id}`, { token: b.token })).status,
    404,
    'not yours',
  );
  assert.equal(
    (await api.request('DELETE', `/api/v1/auth/sessions/${older.id}`, { token: laptop.access_token })).status,
    204,
  );
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: phone.access_token })).status,
    401,
    "the ended session's access token stops at once",
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: phone.refresh_token } })).status,
    401,
    'and its refresh token',
  );
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: laptop.access_token })).status, 200);

  assert.equal((await api.request('POST', '/api/v1/auth/logout-all', { token: laptop.access_token })).status, 200);
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: laptop.access_token })).status,
    401,
    'this one included',
  );
  const { key } = await api.apiKey();
  assert.equal(
    (await api.request('GET', '/api/v1/auth/sessions', { apiKey: key })).status,
    403,
    'a key has no sessions',
  );
});

test("admins see and end any user's sessions; others may not", async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  const a = await api.user();
  const second = await api.login(a.username);
  const list = await api.request('GET', `/api/v1/users/${a.id}/sessions`, { token: admin.token });
  assert.equal(list.body.data.length, 2);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}/sessions`, { token: mod.token })).status, 403);
  const one = list.body.data.find((s: any) => s.id !== undefined);
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${a.id}/sessions/${one.id}`, { token: admin.token })).status,
    204,
  );
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}/sessions`, { token: admin.token })).body.data.length,
    1,
  );
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}/sessions`, { token: admin.token })).status, 204);
  for (const token of [a.token, second.access_token])
    assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token })).status, 401);
  const events = await api.request('GET', `/api/v1/audit-events?type=session.revoked&target_id=${a.id}`, {
    token: admin.token,
  });
  assert.equal(events.body.data.length, 2);
});

test('restore: admins list deleted users and bring one back, active, with its sessions still ended; 409 when its name was taken meanwhile', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user({ first_name: 'Deleted' });
  const b = await api.register();
  for (const u of [a, b])
    assert.equal((await api.request('DELETE', `/api/v1/users/${u.id}`, { token: admin.token })).status, 204);
  const deleted = await api.request('GET', '/api/v1/users?status=deleted', { token: admin.token });
  assert.equal(deleted.status, 200);
  assert.deepEqual(new Set(deleted.body.data.map((u: any) => u.id)), new Set([a.id, b.id]));
  assert.equal(deleted.body.pagination.total, 2);
  assert.deepEqual(
    (await api.request('GET', '/api/v1/users?status=deleted&search=de', { token: admin.token })).body.data.map(
      (u: any) => u.id,
    ),
    [a.id],
    'a prefix among deleted users',
  );
  const mod = await api.withRole('moderator');
  assert.equal((await api.request('GET', '/api/v1/users?status=deleted', { token: mod.token })).status, 403);
  assert.equal((await api.request('POST', `/api/v1/users/${a.id}/restore`, { token: mod.token })).status, 403);

  const restored = await api.request('POST', `/api/v1/users/${a.id}/restore`, { token: admin.token });
  assert.equal(restored.status, 200, restored.raw);
  assert.equal(restored.body.data.status, 'active');
  assert.equal(restored.body.data.first_name, 'Deleted');
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status,
    401,
    'old sessions stay ended',
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    200,
  );
  assert.equal(
    (await api.request('POST', `/api/v1/users/${a.id}/restore`, { token: admin.token })).status,
    404,
    'not deleted any more',
  );

  // b's username is taken by someone new: restoring b is 409 and changes nothing.
  await api.request('POST', '/api/v1/users', {
    body: { username: b.username, email: `${unique()}@example.com`, password: PASSWORD },
  });
  const conflict = await api.request('POST', `/api/v1/users/${b.id}/restore`, { token: admin.token });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.details.field, 'username');
  assert.equal(
    (await api.request('GET', '/api/v1/users?status=deleted', { token: admin.token })).body.pagination.total,
    1,
  );
});
