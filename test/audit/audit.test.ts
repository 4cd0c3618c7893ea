import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** The audit trail: every change and login recorded with who, what, whom, when and where; never a secret. */

const events = async (api: Awaited<ReturnType<typeof build>>, token: string, qs = '') => {
  const res = await api.request('GET', `/api/v1/audit-events?limit=100${qs}`, { token });
  assert.equal(res.status, 200, res.raw);
  return res.body.data as Array<Record<string, any>>;
};

test('logins, changes, key actions and logouts are recorded, newest first, with actor, target, address and agent', async (t) => {
  const api = await build(t, { USHER_TRUST_PROXY: 'true' });
  const admin = await api.admin();
  const ua = { 'user-agent': 'audit-test/1.0', 'x-forwarded-for': '203.0.113.9' };
  const a = await api.register();
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: ua,
        body: { username: a.username, password: 'Wrong-guess-77' },
      })
    ).status,
    401,
  );
  const login = await api.request('POST', '/api/v1/auth/login', {
    headers: ua,
    body: { username: a.username, password: PASSWORD },
  });
  const token = login.body.access_token;
  await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token,
    headers: ua,
    body: { first_name: 'Audited', password: 'Another-Pass456!' },
  });
  await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: admin.token,
    body: { role: 'moderator', status: 'suspended' },
  });
  const key = await api.apiKey({ name: 'audited key' });
  await api.request('DELETE', `/api/v1/api-keys/${key.id}`, { token: admin.token });
  await api.request('DELETE', `/api/v1/users/${a.id}`, { token: admin.token });

  const about = await events(api, admin.token, `&target_id=${a.id}`);
  const types = about.map((e) => e.type);
  // One change may make several events (a role and a status change; a profile field and a password), in the order
  // written.
  assert.deepEqual(types, [
    'user.deleted',
    'user.status_changed',
    'user.role_changed',
    'user.updated',
    'user.password_changed',
    'user.login',
    'user.login_failed',
    'user.created',
  ]);
  const byType = (type: string) => about.find((e) => e.type === type)!;
  assert.deepEqual(byType('user.role_changed').details, { from: 'user', to: 'moderator' });
  assert.deepEqual(byType('user.status_changed').details, { from: 'active', to: 'suspended' });
  assert.equal(byType('user.role_changed').actor_id, admin.id);
  assert.equal(byType('user.login').actor_id, a.id);
  assert.equal(byType('user.login').ip, '203.0.113.9');
  assert.equal(byType('user.login').user_agent, 'audit-test/1.0');
  assert.deepEqual(byType('user.login_failed').details, { reason: 'wrong_password' });
  const selfUpdate = about.filter((e) => e.type === 'user.updated').at(-1)!;
  assert.deepEqual(selfUpdate.details, { fields: ['firstName'] });
  assert.equal(selfUpdate.actor_id, a.id);
  assert.equal(byType('user.created').actor_id, null, 'registration is anonymous');
  // Newest first.
  const times = about.map((e) => e.created_at);
  assert.deepEqual(times, [...times].sort().reverse());
  // Keys, by type.
  const keys = await events(api, admin.token, '&type=api_key.created');
  assert.equal(keys[0]!.details.key_id, key.id);
  assert.equal((await events(api, admin.token, '&type=api_key.revoked'))[0]!.details.key_id, key.id);
  // Never a secret: no password, hash, token or key anywhere in the trail.
  const all = JSON.stringify(await events(api, admin.token));
  for (const secret of [PASSWORD, 'Another-Pass456!', 'Wrong-guess-77', token, key.key, '$argon2id$'])
    assert.ok(!all.includes(secret), secret.slice(0, 12));
});

test('logouts, refresh-token reuse and unknown-account failures are recorded', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  await api.request('POST', '/api/v1/auth/login', { body: { username: 'nobody_at_all', password: 'Wrong-guess-77' } });
  const first = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } });
  assert.equal(first.status, 200);
  api.clock.advance(11_000); // past the reuse grace window
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 401);
  const b = await api.user();
  await api.request('POST', '/api/v1/auth/logout', { token: b.token });
  assert.equal((await events(api, admin.token, `&type=session.refresh_reused&target_id=${a.id}`)).length, 1);
  assert.equal((await events(api, admin.token, `&type=user.logout&actor_id=${b.id}`))[0]!.target_id, b.id);
  const unknown = (await events(api, admin.token, '&type=user.login_failed')).find((e) => e.target_id === null)!;
  assert.deepEqual(unknown.details, { reason: 'unknown_account' });
  assert.ok(!JSON.stringify(unknown).includes('nobody_at_all'), 'what was typed is not kept: it may be a password');
});

test('only admins read the trail; filters by time and cursor paging work; bad filters are 400', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  const { key } = await api.apiKey({ role: 'admin' });
  assert.equal((await api.request('GET', '/api/v1/audit-events', { token: mod.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/audit-events')).status, 401);
  assert.equal(
    (await api.request('GET', '/api/v1/audit-events', { apiKey: key })).status,
    200,
    'an admin-role key acts as an admin',
  );
  for (let i = 0; i < 5; i++) await api.register();
  const page1 = await api.request('GET', '/api/v1/audit-events?limit=2&type=user.created', { token: admin.token });
  const page2 = await api.request(
    'GET',
    `/api/v1/audit-events?limit=2&type=user.created&cursor=${page1.body.pagination.next_cursor}`,
    { token: admin.token },
  );
  assert.equal(page1.body.data.length, 2);
  assert.notEqual(page1.body.data[1].id, page2.body.data[0].id);
  assert.ok(page1.body.data[1].id > page2.body.data[0].id);
  const future = new Date(api.clock.now() + 60_000).toISOString();
  assert.equal(
    (await api.request('GET', `/api/v1/audit-events?since=${future}`, { token: admin.token })).body.data.length,
    0,
  );
  assert.ok(
    (await api.request('GET', `/api/v1/audit-events?until=${future}`, { token: admin.token })).body.data.length > 0,
  );
  for (const qs of ['type=user.exploded', 'since=yesterday', 'cursor=%%%', 'limit=0']) {
    const res = await api.request('GET', `/api/v1/audit-events?${qs}`, { token: admin.token });
    assert.equal(res.status, 400, qs);
  }
});

test('events older than USHER_AUDIT_RETENTION_DAYS are swept', async (t) => {
  const api = await build(t, { USHER_AUDIT_RETENTION_DAYS: '1' });
  await api.register();
  api.clock.advance(2 * 86_400_000);
  await api.app.core.sweep();
  const { access_token: token } = await api.login('root_admin');
  const left = await events(api, token);
  assert.deepEqual(
    left.map((e) => e.type),
    ['user.login'],
    'only the login just made is left; everything from two days ago is gone',
  );
});
