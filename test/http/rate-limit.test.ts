import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

const limited = { USHER_RATE_LIMIT: 'on', USHER_RATE_LIMIT_BURST_PER_SEC: '1000' };

test('anonymous requests: headers on every response, 429 past the per-IP limit with Retry-After', async (t) => {
  const api = await build(t, { ...limited, USHER_RATE_LIMIT_ANON_PER_MIN: '3' });
  const first = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: 'x' } });
  assert.equal(first.headers['x-ratelimit-limit'], '3');
  assert.equal(first.headers['x-ratelimit-remaining'], '2');
  const reset = Number(first.headers['x-ratelimit-reset']);
  assert.ok(
    reset >= Math.floor(api.clock.now() / 1000) + 59 && reset <= Math.ceil(api.clock.now() / 1000) + 60,
    String(reset),
  );
  await api.request('GET', '/api/v1/users/x');
  const third = await api.request('GET', '/api/v1/users/x');
  assert.equal(third.headers['x-ratelimit-remaining'], '0');
  assert.equal(third.status, 401);
  const refused = await api.request('GET', '/api/v1/users/x');
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.code, 'RATE_LIMIT_EXCEEDED');
  assert.equal(refused.body.error.message, 'Rate limit exceeded. Please try again later.');
  assert.equal(refused.body.error.details.retry_after, 60);
  assert.equal(refused.headers['retry-after'], '60');
  api.clock.advance(30_000);
  const later = await api.request('GET', '/api/v1/users/x');
  assert.equal(later.body.error.details.retry_after, 30);
  api.clock.advance(30_001);
  assert.equal((await api.request('GET', '/api/v1/users/x')).status, 401, 'a new window opens');
});

test('authenticated requests count per user, at the authenticated limit', async (t) => {
  const api = await build(t, { ...limited, USHER_RATE_LIMIT_ANON_PER_MIN: '100', USHER_RATE_LIMIT_AUTH_PER_MIN: '4' });
  const a = await api.user();
  const b = await api.user();
  const statuses = [];
  for (let i = 0; i < 5; i++)
    statuses.push((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
  const other = await api.request('GET', `/api/v1/users/${b.id}`, { token: b.token });
  assert.equal(other.status, 200, 'another user has its own counter');
  assert.equal(other.headers['x-ratelimit-limit'], '4');
});

test('burst limit: more than N requests in one second is 429', async (t) => {
  const api = await build(t, { USHER_RATE_LIMIT: 'on', USHER_RATE_LIMIT_BURST_PER_SEC: '2' });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await api.request('GET', '/api/v1/users/x')).status);
  assert.deepEqual(statuses, [401, 401, 429]);
  api.clock.advance(1000);
  assert.equal((await api.request('GET', '/api/v1/users/x')).status, 401);
});

test('login: 10/min per IP by default, headers show the limit closest to running out', async (t) => {
  const api = await build(t, { ...limited, USHER_RATE_LIMIT_ANON_PER_MIN: '1000' });
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof api.request>> | undefined;
  for (let i = 0; i < 11; i++) {
    last = await api.request('POST', '/api/v1/auth/login', { body: { username: 'nobody_x', password: PASSWORD } });
    statuses.push(last.status);
    if (i === 0) {
      assert.equal(last.headers['x-ratelimit-limit'], '10');
      assert.equal(last.headers['x-ratelimit-remaining'], '9');
    }
  }
  assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
  assert.ok(Number(last!.headers['retry-after']) > 0);
  const register = await api.request('POST', '/api/v1/users', { body: {} });
  assert.equal(register.status, 400, 'other routes are not under the login limit');
});

test('USHER_RATE_LIMIT=off: no headers, no limit; health probes are never limited', async (t) => {
  const api = await build(t, { USHER_RATE_LIMIT_ANON_PER_MIN: '1' });
  for (let i = 0; i < 3; i++) {
    const res = await api.request('GET', '/api/v1/users/x');
    assert.equal(res.status, 401);
    assert.equal(res.headers['x-ratelimit-limit'], undefined);
  }
  const on = await build(t, { ...limited, USHER_RATE_LIMIT_ANON_PER_MIN: '1' });
  for (let i = 0; i < 3; i++) assert.equal((await on.request('GET', '/health')).status, 200);
  for (let i = 0; i < 3; i++) assert.equal((await on.request('GET', '/ready')).status, 200);
});
