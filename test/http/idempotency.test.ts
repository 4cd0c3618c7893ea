import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

/** Safe retries: the same Idempotency-Key and body replays the first answer, with no second write. */

test('a retried registration with the same key and body replays the 201; another body is 422; in flight is 409', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const username = unique();
  const body = { username, email: `${username}@example.com`, password: PASSWORD };
  const key = { 'idempotency-key': `reg-${username}` };
  const first = await api.request('POST', '/api/v1/users', { headers: key, body });
  assert.equal(first.status, 201);
  const retry = await api.request('POST', '/api/v1/users', { headers: key, body });
  assert.equal(retry.status, 201, 'not 409: the retry gets the first answer');
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retry.body, first.body);
  const found = await api.request('GET', `/api/v1/users?search=${username}`, { token: admin.token });
  assert.equal(found.body.pagination.total, 1, 'one user, not two');
  const other = await api.request('POST', '/api/v1/users', {
    headers: key,
    body: { ...body, first_name: 'Different' },
  });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'UNPROCESSABLE_ENTITY');
  // Without the header, the behaviour is as before.
  assert.equal((await api.request('POST', '/api/v1/users', { body })).status, 409);

  // Two at once with one key: one runs, the other is 409 while it is in flight (or replays it, if it came second).
  const u2 = unique();
  const body2 = { username: u2, email: `${u2}@example.com`, password: PASSWORD };
  const same = { 'idempotency-key': `race-${u2}` };
  const [x, y] = await Promise.all([
    api.request('POST', '/api/v1/users', { headers: same, body: body2 }),
    api.request('POST', '/api/v1/users', { headers: same, body: body2 }),
  ]);
  const statuses = [x.status, y.status].sort();
  assert.ok(
    JSON.stringify(statuses) === '[201,409]' || JSON.stringify(statuses) === '[201,201]',
    JSON.stringify(statuses),
  );
  const conflict = [x, y].find((r) => r.status === 409);
  if (conflict) assert.equal(conflict.body.error.code, 'REQUEST_IN_PROGRESS');
  assert.equal(
    (await api.request('GET', `/api/v1/users?search=${u2}`, { token: admin.token })).body.pagination.total,
    1,
  );
});

test('every creating POST honours the key: /v1 users, profiles, register, API keys; keys expire after 24 h', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey();
  const u = () => {
    const username = unique();
    return { username, email: `${username}@example.com` };
  };
  const calls: Array<[string, Record<string, string>, unknown]> = [
    ['/v1/users', { 'x-api-key': key }, { ...u(), password: PASSWORD }],
    ['/api/users/profiles', { authorization: `Bearer ${admin.token}` }, u()],
    ['/api/register/', {}, { ...u(), password: PASSWORD }],
    ['/api/v1/api-keys', { authorization: `Bearer ${admin.token}` }, { name: unique('k') }],
  ];
  for (const [url, auth, body] of calls) {
    const headers = { ...auth, 'idempotency-key': unique('idem') };
    const first = await api.request('POST', url, { headers, body });
    assert.equal(first.status, 201, `${url}: ${first.raw}`);
    const retry = await api.request('POST', url, { headers, body });
    assert.equal(retry.status, 201, url);
    // A created key's secret is shown once: its replay is the same answer with `key: null`
    // (test/security-review-requests.test.ts).
    if (url === '/api/v1/api-keys')
      assert.deepEqual({ ...retry.body.data, key: first.body.data.key }, first.body.data, url);
    else assert.equal(retry.raw, first.raw, url);
  }
  const keys = await api.request('GET', '/api/v1/api-keys', { token: admin.token });
  assert.equal(keys.body.data.length, 2, 'the bootstrap key and one more, not two');

  const username = unique();
  const body = { username, email: `${username}@example.com`, password: PASSWORD };
  const headers = { 'idempotency-key': 'expires-tomorrow' };
  assert.equal((await api.request('POST', '/api/v1/users', { headers, body })).status, 201);
  api.clock.advance(24 * 3_600_000 + 1);
  const late = await api.request('POST', '/api/v1/users', { headers, body });
  assert.equal(late.status, 409, 'after 24 h the key is forgotten and the request runs again');
  assert.equal(
    (await api.request('POST', '/api/v1/users', { headers: { 'idempotency-key': 'bad key with spaces' }, body }))
      .status,
    400,
  );
});

test('keys are scoped to their sender: another caller with the same key is a new request', async (t) => {
  const api = await build(t, { USHER_TRUST_PROXY: 'true' });
  const a = unique();
  const b = unique();
  const key = 'shared-key-1';
  const first = await api.request('POST', '/api/v1/users', {
    headers: { 'idempotency-key': key, 'x-forwarded-for': '192.0.2.1' },
    body: { username: a, email: `${a}@example.com`, password: PASSWORD },
  });
  const second = await api.request('POST', '/api/v1/users', {
    headers: { 'idempotency-key': key, 'x-forwarded-for': '192.0.2.2' },
    body: { username: b, email: `${b}@example.com`, password: PASSWORD },
  });
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.notEqual(second.body.data.id, first.body.data.id);
});
