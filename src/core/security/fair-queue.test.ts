import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import { FairQueue } from './fair-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('waiting tasks start round-robin across keys, so a flood from one key waits behind itself', async () => {
  const queue = new FairQueue({ concurrency: 1, perKey: 100, total: 1000, timeoutMs: 10_000 });
  const started: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const first = queue.run(['a'], () => gate);
  const tasks = [
    ...Array.from({ length: 5 }, (_, i) => queue.run(['a'], async () => void started.push(`a${i}`))),
    queue.run(['b'], async () => void started.push('b0')),
    queue.run(['c'], async () => void started.push('c0')),
  ];
  release();
  await Promise.all([first, ...tasks]);
  assert.deepEqual(started, ['a0', 'b0', 'c0', 'a1', 'a2', 'a3', 'a4']);
});

test('a key past its share is refused at once, and no task waits past the timeout: 503 with retry_after', async () => {
  const queue = new FairQueue({ concurrency: 1, perKey: 2, total: 1000, timeoutMs: 50 });
  let release!: () => void;
  const running = queue.run(['x'], () => new Promise<void>((r) => (release = r)));
  const waiting = [queue.run(['x', 'account:bob'], async () => 1), queue.run(['y', 'account:bob'], async () => 2)];
  const over = await queue.run(['z', 'account:bob'], async () => 3).catch((e: unknown) => e);
  assert.ok(over instanceof AppError && over.code === 'SERVICE_UNAVAILABLE', 'the account holds its share already');
  const outcomes = await Promise.allSettled(waiting);
  for (const o of outcomes) {
    assert.equal(o.status, 'rejected');
    assert.equal((o as PromiseRejectedResult).reason.details.retry_after, 1);
  }
  release();
  await running;
  await tick();
  assert.equal(await queue.run(['x'], async () => 'free again'), 'free again');
});

test('heavy tasks hold at most their share of the slots: an ordinary task starts beside them, past heavy ones waiting', async () => {
  const queue = new FairQueue({ concurrency: 2, heavyConcurrency: 1, perKey: 100, total: 1000, timeoutMs: 10_000 });
  const heavy = await queue.acquire(['attacker'], true);
  const started: string[] = [];
  const secondHeavy = queue.acquire(['attacker'], true).then((release) => (started.push('heavy2'), release));
  await tick();
  assert.equal(started.length, 0, 'the heavy share is full, though a slot is free');
  const light = await queue.acquire(['owner']);
  started.push('light');
  light();
  heavy();
  (await secondHeavy)();
  assert.deepEqual(started, ['light', 'heavy2']);
});

test('at shutdown heavy tasks waiting or new are refused with 503; ordinary ones still get their turn', async () => {
  const queue = new FairQueue({ concurrency: 1, perKey: 100, total: 1000, timeoutMs: 10_000 });
  const running = await queue.acquire(['a']);
  const heavy = queue.acquire(['b'], true).catch((e: unknown) => e);
  const ordinary = queue.acquire(['c']);
  queue.refuseHeavy();
  const refused = await heavy;
  assert.ok(refused instanceof AppError && refused.code === 'SERVICE_UNAVAILABLE');
  await assert.rejects(
    queue.acquire(['d'], true),
    (e: unknown) => e instanceof AppError && e.code === 'SERVICE_UNAVAILABLE',
  );
  running();
  (await ordinary)();
});
