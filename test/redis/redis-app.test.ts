import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { AuthEvent } from '../../src/core/events.js';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, type TestApp, build, freshDatabaseUrl } from '../support/helper.js';
import { REDIS_URL, closedPort, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';

/**
 * Two apps in this process over one database, each with its own caches and
 * its own frozen test clock, as two instances would be. Their state caches
 * only expire when a test moves a clock, so what reaches the other app
 * without that is the bus's doing.
 */
async function twoInstances(t: TestContext, env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const database = createDatabase(await freshDatabaseUrl(t));
  const a = await build(t, env, { database });
  const b = await build(t, env, { database });
  t.after(() => database.close());
  return [a, b];
}

function heardBy(api: TestApp): AuthEvent[] {
  const heard: AuthEvent[] = [];
  api.app.core.bus.subscribe((e) => heard.push(e));
  return heard;
}

test('REDIS_URL: two instances share rate-limit counters', { skip: withoutRedis }, async (t) => {
  const [a, b] = await twoInstances(t, {
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: redisPrefix(t),
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_ANON_PER_MIN: '4',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
  });
  const remaining = [];
  for (const api of [a, b, a, b])
    remaining.push((await api.request('GET', '/api/v1/users/x')).headers['x-ratelimit-remaining']);
  assert.deepEqual(remaining, ['3', '2', '1', '0']);
  assert.equal((await a.request('GET', '/api/v1/users/x')).status, 429);
  assert.equal((await b.request('GET', '/api/v1/users/x')).status, 429);
});

test('REDIS_URL: an ended session and a deactivated user are refused on the other instance at once, the clock standing still', {
  skip: withoutRedis,
}, async (t) => {
  const [a, b] = await twoInstances(t, { REDIS_URL: REDIS_URL!, USHER_REDIS_PREFIX: redisPrefix(t) });
  const heard = heardBy(b);
  const alice = await a.user();
  const bob = await a.user();
  for (const u of [alice, bob])
    assert.equal(
      (await b.request('GET', `/api/v1/users/${u.id}`, { token: u.token })).status,
      200,
      'b has the session cached',
    );

  assert.equal((await a.request('POST', '/api/v1/auth/logout', { token: alice.token })).status, 200);
  await waitFor('b to hear of the ended session', () => heard.some((e) => e.kind === 'session'));
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status, 401);

  const admin = await a.admin();
  assert.equal(
    (await a.request('PATCH', `/api/v1/users/${bob.id}`, { token: admin.token, body: { status: 'inactive' } })).status,
    200,
  );
  await waitFor('b to hear of the changed user', () => heard.some((e) => e.kind === 'user' && e.id === bob.id));
  assert.equal((await b.request('GET', `/api/v1/users/${bob.id}`, { token: bob.token })).status, 401);
});

test('Redis unreachable: requests work, each instance limits on its own, /ready stays 200', async (t) => {
  const [a, b] = await twoInstances(t, {
    REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_ANON_PER_MIN: '3',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
  });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await a.request('POST', '/api/v1/users', { body: {} })).status);
  assert.deepEqual(statuses, [400, 400, 400, 429], 'limits still hold, in this instance');
  const other = await b.request('POST', '/api/v1/users', { body: {} });
  assert.equal(other.status, 400, 'the other instance counts apart');
  assert.equal(other.headers['x-ratelimit-remaining'], '2');
  for (const api of [a, b]) assert.deepEqual((await api.request('GET', '/ready')).body, { status: 'ready' });
});

test('Redis unreachable: a session ended on one instance is refused on the other once its 1 s cache entry is up', async (t) => {
  const [a, b] = await twoInstances(t, { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
  const alice = await a.user();
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status, 200);
  assert.equal((await a.request('POST', '/api/v1/auth/logout', { token: alice.token })).status, 200);
  assert.equal(
    (await a.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status,
    401,
    'refused at once where it ended',
  );
  // The documented bound: without the bus, b goes on trusting its cached state for up to 1 s, then asks the database.
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status, 200);
  b.clock.advance(1000);
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status, 401);
  assert.equal(
    (await b.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: alice.refresh } })).status,
    401,
    'the refresh token is checked in the database every time',
  );
});

test('USHER_REDIS_PREFIX: usher: by default; anything with spaces or odd characters stops the server', () => {
  assert.equal(loadConfig({}).redisPrefix, 'usher:');
  assert.equal(loadConfig({ USHER_REDIS_PREFIX: 'team-a:usher:' }).redisPrefix, 'team-a:usher:');
  for (const bad of ['two words', 'a*b', 'x'.repeat(65)])
    assert.throws(() => loadConfig({ USHER_REDIS_PREFIX: bad }), /Invalid configuration: USHER_REDIS_PREFIX/);
});

test('REDIS_URL: failed logins on one instance lock the account on the other', { skip: withoutRedis }, async (t) => {
  const [a, b] = await twoInstances(t, {
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: redisPrefix(t),
    USHER_LOCKOUT_THRESHOLD: '4',
  });
  const victim = await a.register();
  for (const api of [a, b, a, b]) {
    assert.equal(
      (
        await api.request('POST', '/api/v1/auth/login', {
          body: { username: victim.username, password: 'Wrong-guess-1' },
        })
      ).status,
      401,
    );
  }
  for (const api of [a, b]) {
    const res = await api.request('POST', '/api/v1/auth/login', {
      body: { username: victim.username, password: 'Wrong-guess-1' },
    });
    assert.equal(res.status, 429);
  }
});

test('REDIS_URL: a user changed on one instance is read afresh on the other once the event arrives, the clock standing still', {
  skip: withoutRedis,
}, async (t) => {
  const [a, b] = await twoInstances(t, { REDIS_URL: REDIS_URL!, USHER_REDIS_PREFIX: redisPrefix(t) });
  const heard = heardBy(b);
  const alice = await a.user();
  assert.equal(
    (await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).body.data.bio,
    null,
    'b has alice cached',
  );
  assert.equal(
    (await a.request('PATCH', `/api/v1/users/${alice.id}`, { token: alice.token, body: { bio: 'changed on a' } }))
      .status,
    200,
  );
  await waitFor('b to hear of the changed user', () => heard.some((e) => e.kind === 'user' && e.id === alice.id));
  assert.equal(
    (await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).body.data.bio,
    'changed on a',
  );
});

test('Redis unreachable: the instance that wrote a user reads its write at once; another reads it once its 1 s cache entry is up', async (t) => {
  const [a, b] = await twoInstances(t, { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
  const alice = await a.user();
  const bio = async (api: TestApp) =>
    (await api.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).body.data.bio;
  assert.equal(await bio(a), null);
  assert.equal(await bio(b), null);
  for (let n = 1; n <= 20; n++) {
    assert.equal(
      (await a.request('PATCH', `/api/v1/users/${alice.id}`, { token: alice.token, body: { bio: `v${n}` } })).status,
      200,
    );
    assert.equal(await bio(a), `v${n}`, 'a write is never followed by an older read on the instance that answered it');
  }
  // A login writes last_login through another store path: read at once too.
  const before = (await a.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).body.data.last_login;
  a.clock.advance(5);
  assert.equal(
    (await a.request('POST', '/api/v1/auth/login', { body: { username: alice.username, password: PASSWORD } })).status,
    200,
  );
  assert.notEqual(
    (await a.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).body.data.last_login,
    before,
  );
  // The documented bound: without the bus, b answers from its cache for up to 1 s, then reads the database.
  assert.equal(await bio(b), null);
  b.clock.advance(1000);
  assert.equal(await bio(b), 'v20');
});
