import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { Redis } from 'ioredis';
import type { AuthEvent } from '../../src/core/events.js';
import { createRedisBus } from '../../src/infra/redis-bus.js';
import { type Log, connectRedis } from '../../src/infra/redis-connection.js';
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

/** A bus on `url` under `prefix`, with a listener that records what it hears. */
async function bus(t: TestContext, url: string, prefix: string, log: Log = recordingLog()) {
  const b = createRedisBus(
    connectRedis(url, { name: 'events-publish', consequence: 'test', log }),
    connectRedis(url, { name: 'events-subscribe', consequence: 'test', log, subscriber: true }),
    prefix,
  );
  t.after(() => b.close());
  await b.settled;
  const heard: AuthEvent[] = [];
  b.subscribe((e) => heard.push(e));
  return Object.assign(b, { heard });
}

const has = (heard: AuthEvent[], id: string) => heard.some((e) => e.id === id);

test("an event reaches the other instance's listeners, and its own at once and only once", {
  skip: withoutRedis,
}, async (t) => {
  const prefix = redisPrefix(t);
  const [a, b] = [await bus(t, REDIS_URL!, prefix), await bus(t, REDIS_URL!, prefix)];
  a.publish({ kind: 'session', id: 's1' });
  assert.deepEqual(a.heard, [{ kind: 'session', id: 's1' }], 'local listeners hear it during publish');
  await waitFor('b to hear s1', () => has(b.heard, 's1'));
  // Redis keeps one channel's messages in order: once a hears b's reply, a's own copy of s1 has come back too.
  b.publish({ kind: 'user', id: 'u1' });
  await waitFor('a to hear u1', () => has(a.heard, 'u1'));
  assert.deepEqual(a.heard, [
    { kind: 'session', id: 's1' },
    { kind: 'user', id: 'u1' },
  ]);
  assert.deepEqual(b.heard, [
    { kind: 'session', id: 's1' },
    { kind: 'user', id: 'u1' },
  ]);
});

test('prefixes keep deployments apart; anything else on the channel is ignored', { skip: withoutRedis }, async (t) => {
  const [mine, theirs] = [redisPrefix(t), redisPrefix(t)];
  const [a, b] = [await bus(t, REDIS_URL!, mine), await bus(t, REDIS_URL!, mine)];
  const [c, d] = [await bus(t, REDIS_URL!, theirs), await bus(t, REDIS_URL!, theirs)];
  const raw = new Redis(REDIS_URL!);
  t.after(() => raw.disconnect());
  for (const junk of [
    'not json',
    '{"origin":"x","kind":"table","id":"t"}',
    '{"origin":"x","kind":"user"}',
    '[1]',
    'null',
  ]) {
    await raw.publish(`${mine}events`, junk);
  }
  // Redis delivers to each subscriber in publish order, so each awaited event below comes after everything published
  // before it.
  a.publish({ kind: 'api_key', id: 'k1' });
  await waitFor('b to hear k1', () => has(b.heard, 'k1'));
  assert.deepEqual(b.heard, [{ kind: 'api_key', id: 'k1' }], 'the junk published before k1 was dropped');
  d.publish({ kind: 'user', id: 'theirs' });
  await waitFor('c to hear its own deployment', () => has(c.heard, 'theirs'));
  assert.deepEqual(c.heard, [{ kind: 'user', id: 'theirs' }], 'nothing of the other prefix');
});

test('Redis unreachable: publish still reaches local listeners, and failures give one warning per connection', {
  skip: withoutRedis,
}, async (t) => {
  const log = recordingLog();
  const url = `redis://127.0.0.1:${await closedPort()}`;
  const a = await bus(t, url, 'usher:', log);
  for (let i = 0; i < 5; i++) a.publish({ kind: 'session', id: `s${i}` });
  assert.equal(a.heard.length, 5);
  await new Promise((r) => setImmediate(r));
  // One warning per connection (publish, subscribe) per interval, not one per failed publish.
  const warned = log.lines.filter((l) => l.level === 'warn').map((l) => (l.obj as { redis: string }).redis);
  assert.deepEqual(warned.sort(), ['events-publish', 'events-subscribe'], JSON.stringify(log.lines));
});

test('Redis killed mid-test: events flow again once it is back (the subscription is renewed)', {
  skip: withoutRedis || (!hasRedisServer && 'needs redis-server on PATH'),
}, async (t) => {
  const server = await ownRedisServer(t);
  const prefix = redisPrefix(t, server.url);
  const [a, b] = [await bus(t, server.url, prefix), await bus(t, server.url, prefix)];
  a.publish({ kind: 'session', id: 'before' });
  await waitFor('b to hear the first event', () => has(b.heard, 'before'));

  await server.kill();
  a.publish({ kind: 'session', id: 'during' });
  assert.ok(has(a.heard, 'during'), 'local listeners still hear events');

  await server.start();
  let round = 0;
  await waitFor('b to hear a again', () => {
    a.publish({ kind: 'user', id: `after${++round}` });
    return b.heard.some((e) => e.id.startsWith('after'));
  });
});

test('Redis down at start: the bus starts anyway and subscribes once Redis comes up', {
  skip: withoutRedis || (!hasRedisServer && 'needs redis-server on PATH'),
}, async (t) => {
  const server = await ownRedisServer(t);
  await server.kill();
  const prefix = redisPrefix(t, server.url);
  const [a, b] = [await bus(t, server.url, prefix), await bus(t, server.url, prefix)];
  await server.start();
  let round = 0;
  await waitFor('b to hear a', () => {
    a.publish({ kind: 'session', id: `s${++round}` });
    return b.heard.length > 0;
  });
});
