import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';

test('admins create keys: 201 with the secret once, usk_ prefix, stored only as a hash', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const res = await api.request('POST', '/api/v1/api-keys', { token: admin.token, body: { name: 'ci bot' } });
  assert.equal(res.status, 201);
  const k = res.body.data;
  assert.match(k.key, /^usk_[A-Za-z0-9_-]{43}$/);
  assert.equal(k.name, 'ci bot');
  assert.equal(k.role, 'admin', 'defaults to the creator role');
  assert.equal(k.created_by, admin.id);
  assert.ok(k.key.startsWith(k.prefix));
  assert.equal(k.last_used_at, null);

  const list = await api.request('GET', '/api/v1/api-keys', { token: admin.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.data.length, 1);
  assert.ok(!('key' in list.body.data[0]), 'the secret is never shown again');
  assert.ok(!list.raw.includes(k.key));

  const rows = await api.database.db.selectFrom('api_keys').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.ok(!JSON.stringify(rows).includes(k.key), 'the database holds no copy of the secret');
  assert.equal(rows[0]!.key_hash.length, 43, 'a SHA-256 digest');
});

test('a key authenticates on /api/v1 with its role, records last use, and is refused once revoked or expired', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.register();
  const key = await api.apiKey({ role: 'moderator' });
  const read = await api.request('GET', `/api/v1/users/${a.id}`, { apiKey: key.key });
  assert.equal(read.status, 200);
  const promote = await api.request('PATCH', `/api/v1/users/${a.id}`, { apiKey: key.key, body: { role: 'admin' } });
  assert.equal(promote.status, 403, 'a moderator key cannot set roles');
  const listed = (await api.request('GET', '/api/v1/api-keys', { token: admin.token })).body.data.find(
    (k: any) => k.id === key.id,
  );
  assert.ok(listed.last_used_at);

  assert.equal((await api.request('DELETE', `/api/v1/api-keys/${key.id}`, { token: admin.token })).status, 204);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { apiKey: key.key })).status, 401);
  assert.equal(
    (await api.request('DELETE', `/api/v1/api-keys/${key.id}`, { token: admin.token })).status,
    204,
    'revoking twice is harmless',
  );
  assert.equal((await api.request('DELETE', '/api/v1/api-keys/nope', { token: admin.token })).status, 404);

  const expiring = await api.apiKey({ expires_at: new Date(api.clock.now() + 60_000).toISOString() });
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { apiKey: expiring.key })).status, 200);
  api.clock.advance(61_000);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { apiKey: expiring.key })).status, 401);
});

test('keys: only admins manage them; invalid input is 400; a key never outranks its creator', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  assert.equal((await api.request('POST', '/api/v1/api-keys', { token: mod.token, body: { name: 'x' } })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/api-keys', { token: mod.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/api-keys')).status, 401);
  for (const body of [
    {},
    { name: '' },
    { name: 'x', role: 'root' },
    { name: 'x', expires_at: 'tomorrow' },
    { name: 'x', expires_at: '2000-01-01T00:00:00Z' },
    { name: 'x', extra: 1 },
  ]) {
    const res = await api.request('POST', '/api/v1/api-keys', { token: admin.token, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
  }
  // An admin key whose creator is demoted acts with the creator's new role.
  const second = await api.withRole('admin');
  const res = await api.request('POST', '/api/v1/api-keys', { token: second.token, body: { name: 'soon demoted' } });
  const key = res.body.data.key;
  assert.equal((await api.request('GET', '/api/v1/users', { apiKey: key })).status, 200);
  await api.request('PATCH', `/api/v1/users/${second.id}`, { token: admin.token, body: { role: 'user' } });
  assert.equal((await api.request('GET', '/api/v1/users', { apiKey: key })).status, 403);
  await api.request('PATCH', `/api/v1/users/${second.id}`, { token: admin.token, body: { status: 'suspended' } });
  assert.equal(
    (await api.request('GET', `/api/v1/users/${second.id}`, { apiKey: key })).status,
    401,
    'a suspended creator disables the key',
  );
});
