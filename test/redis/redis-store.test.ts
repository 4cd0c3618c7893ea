import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { Redis } from 'ioredis';
import { checkLimits } from '../../src/core/rate-limit/rate-limit.js';
import { type Log, connectRedis } from '../../src/infra/redis-connection.js';
import { createRedisRateLimitStore } from '../../src/infra/redis-rate-limit.js';
import {
  REDIS_URL,
  closedPort,
  hasRedisServer,
  ownRedisServer,
  recordingLog,
  redisPrefix,
  waitFor,
  withoutRedis,
} from '../support/redis-helper.js';

async function store(t: TestContext, url: string, prefix: string, log: Log = recordingLog()) {
  const s = createRedisRateLimitStore(connectRedis(url, { name: 'rate-limit', consequence: 'test', log }), prefix);
  t.after(() => s.close());
  await s.settled;
  return s;
}

test('two stores on one Redis share counters; one call counts every rule', { skip: withoutRedis }, async (t) => {
  const prefix = redisPrefix(t);
  const [a, b] = [await store(t, REDIS_URL!, prefix), await store(t, REDIS_URL!, prefix)];
  const rules = [
    { key: 'rl:min:ip:1', limit: 3, windowMs: 60_000 },
    { key: 'rl:sec:ip:1', limit: 100, windowMs: 30_000 },
  ];
  const now = Date.now();
  const counts = [];
  for (const s of [a, b, a, b]) counts.push((await s.hit(rules, now)).map((c) => c.count));
  assert.deepEqual(counts, [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
  ]);
  assert.deepEqual(
    (await b.hit([{ key: 'rl:min:ip:2', limit: 3, windowMs: 60_000 }], now)).map((c) => c.count),
    [1],
    'another key counts apart',
  );

  // Through checkLimits, as the HTTP hook uses it: the fifth hit, on either store, is refused.
  const verdict = await checkLimits(a, rules, now);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.limit, 3);
  assert.ok(verdict.retryAfter > 0 && verdict.retryAfter <= 60, String(verdict.retryAfter));

  const redis = new Redis(REDIS_URL!);
  t.after(() => redis.disconnect());
  const ttl = await redis.pttl(`${prefix}rl:min:ip:1`);
  assert.ok(ttl > 0 && ttl <= 60_000, `the counter expires with its window (pttl ${ttl})`);
  assert.deepEqual(await redis.keys(`${prefix}*`).then((k) => k.sort()), [
    `${prefix}rl:min:ip:1`,
    `${prefix}rl:min:ip:2`,
    `${prefix}rl:sec:ip:1`,
  ]);
});

test('a window starts at its first hit, later hits do not extend it, and counting starts again after it', {
  skip: withoutRedis,
}, async (t) => {
  const prefix = redisPrefix(t);
  const s = await store(t, REDIS_URL!, prefix);
  const rule = [{ key: 'long', limit: 10, windowMs: 60_000 }];
  const now = 1_000_000;
  const [first] = await s.hit(rule, now);
  const [second] = await s.hit(rule, now);
  assert.equal(first!.count, 1);
  assert.equal(second!.count, 2);
  assert.ok(first!.resetAt > now && first!.resetAt <= now + 60_000, String(first!.resetAt - now));
  assert.ok(second!.resetAt <= first!.resetAt, "the second hit keeps the first hit's window");

  const short = [{ key: 'short', limit: 10, windowMs: 300 }];
  assert.equal((await s.hit(short, now))[0]!.count, 1);
  let last = { count: 0, resetAt: 0 };
  await waitFor('the 300 ms window to end', async () => {
    last = (await s.hit(short, now))[0]!;
    return last.count === 1;
  });
  assert.ok(last.resetAt > now && last.resetAt <= now + 300, 'a new window of its own length');
});

test("Redis unreachable: counts go to this instance's memory, and many failures give one warning", {
  skip: withoutRedis,
}, async (t) => {
  const log = recordingLog();
  const url = `redis://127.0.0.1:${await closedPort()}`;
  const s = await store(t, url, 'usher:', log);
  const rules = [{ key: 'rl:min:ip:9', limit: 3, windowMs: 60_000 }];
  const allowed = [];
  for (let i = 0; i < 5; i++) allowed.push((await checkLimits(s, rules, Date.now())).allowed);
  assert.deepEqual(allowed, [true, true, true, false, false], 'limits still hold, per instance');
  const warnings = log.lines.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 1, JSON.stringify(log.lines));
  assert.match(warnings[0]!.msg, /^redis unavailable: /);
});

test('Redis killed mid-test: counts fall back to memory, and are shared again once Redis is back', {
  skip: withoutRedis || (!hasRedisServer && 'needs redis-server on PATH'),
}, async (t) => {
  const server = await ownRedisServer(t);
  const prefix = redisPrefix(t, server.url);
  const log = recordingLog();
  const [a, b] = [await store(t, server.url, prefix, log), await store(t, server.url, prefix)];
  const rule = [{ key: 'k', limit: 100, windowMs: 60_000 }];
  assert.deepEqual([(await a.hit(rule, 0))[0]!.count, (await b.hit(rule, 0))[0]!.count], [1, 2]);

  await server.kill();
  const whileDown = [
    (await a.hit(rule, 0))[0]!.count,
    (await b.hit(rule, 0))[0]!.count,
    (await a.hit(rule, 0))[0]!.count,
  ];
  assert.deepEqual(whileDown, [1, 1, 2], 'each store counts alone while Redis is away');
  assert.equal(log.lines.filter((l) => l.level === 'warn').length, 1);

  await server.start();
  // A fresh key each round: it reaches 2 only when both hits land in the same (Redis) counter.
  let round = 0;
  await waitFor('both stores to share counts again', async () => {
    const fresh = [{ key: `k${++round}`, limit: 100, windowMs: 60_000 }];
    await a.hit(fresh, 0);
    return (await b.hit(fresh, 0))[0]!.count === 2;
  });
  await waitFor('the restored connection to be logged', () =>
    log.lines.some((l) => l.level === 'info' && l.msg === 'redis connection restored'),
  );
});

test('Redis hung (stopped, connection open): a hit gives up after the command timeout and counts in memory', {
  skip: withoutRedis || (!hasRedisServer && 'needs redis-server on PATH'),
}, async (t) => {
  const server = await ownRedisServer(t);
  const prefix = redisPrefix(t, server.url);
  const log = recordingLog();
  const s = await store(t, server.url, prefix, log);
  const rule = [{ key: 'k', limit: 100, windowMs: 60_000 }];
  assert.equal((await s.hit(rule, 0))[0]!.count, 1);
  server.signal('SIGSTOP');
  t.after(() => server.signal('SIGCONT'));
  // Without the command timeout this would wait for as long as Redis is stopped, and the test would never end.
  assert.equal((await s.hit(rule, 0))[0]!.count, 1, 'counted in memory');
  assert.match(JSON.stringify(log.lines), /Command timed out/);
  server.signal('SIGCONT');
  const redis = new Redis(server.url);
  t.after(() => redis.disconnect());
  let round = 0;
  await waitFor('hits to reach Redis again', async () => {
    const key = `r${++round}`;
    await s.hit([{ key, limit: 100, windowMs: 60_000 }], 0);
    return (await redis.get(prefix + key)) === '1';
  });
});
