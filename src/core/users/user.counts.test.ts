import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Countable, CountCache } from './user.counts.js';

const user = (status: Countable['status'], searchText: string): Countable => ({ status, role: 'user', searchText });

test('counts are cached per filter for the TTL; then the last total is answered while one count brings it up to date', async () => {
  let t = 0;
  let counted = 0;
  const cache = new CountCache(() => t, 10_000);
  const count = async () => ++counted * 100;
  assert.equal(await cache.get({}, count), 100);
  assert.equal(await cache.get({}, count), 100);
  assert.equal(await cache.get({ status: 'active' }, count), 200);
  t = 10_000;
  assert.equal(await cache.get({}, count), 100, 'the past total, at once');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await cache.get({}, count), 300, 'then the new count');
  assert.equal(counted, 3);
});

test('callers missing the same total together share one count; a failed count fails its waiters and the next caller counts again', async () => {
  let counted = 0;
  let release!: (n: number) => void;
  const cache = new CountCache(() => 0);
  const slow = () => {
    counted++;
    return new Promise<number>((resolve) => (release = resolve));
  };
  const waiting = Promise.all(Array.from({ length: 10 }, () => cache.get({ role: 'admin' }, slow)));
  release(42);
  assert.deepEqual(await waiting, Array(10).fill(42));
  assert.equal(counted, 1);

  const failing = async () => {
    counted++;
    throw new Error('database gone');
  };
  const failed = await Promise.allSettled([cache.get({ role: 'user' }, failing), cache.get({ role: 'user' }, failing)]);
  assert.deepEqual(
    failed.map((f) => f.status),
    ['rejected', 'rejected'],
  );
  assert.equal(counted, 2, 'one count for both');
  assert.equal(await cache.get({ role: 'user' }, async () => 7), 7, 'counted again');

  // Past its time, a failing recount keeps answering the last total, and no rejection goes unhandled.
  const clock = { t: 0 };
  const aging = new CountCache(() => clock.t, 1000);
  assert.equal(await aging.get({}, async () => 5), 5);
  clock.t = 2000;
  assert.equal(await aging.get({}, failing), 5);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await aging.get({}, async () => 6), 5, 'still the past total while the next count runs');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await aging.get({}, async () => -1), 6);

  // A total older than three times the TTL is never answered: callers wait for a count, and hear its failure.
  clock.t = 6000;
  await assert.rejects(aging.get({}, failing), /database gone/);
});

test('writes adjust exactly the cached totals they move', async () => {
  const cache = new CountCache(() => 0);
  await cache.get({}, async () => 10);
  await cache.get({ status: 'active' }, async () => 7);
  await cache.get({ search: 'SMI' }, async () => 3);
  cache.adjust(undefined, user('active', 'ann\nann@x.io\nann\nsmith'));
  cache.adjust(user('active', 'bob\nbob@x.io\n\n'), user('suspended', 'bob\nbob@x.io\n\n'));
  cache.adjust(user('inactive', 'eve\nsmiley@x.io\n\n'), undefined);
  assert.equal(await cache.get({}, async () => -1), 10);
  assert.equal(await cache.get({ status: 'active' }, async () => -1), 7);
  assert.equal(await cache.get({ search: 'smi' }, async () => -1), 3);
});
