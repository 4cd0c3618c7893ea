import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateCache } from './state-cache.js';

function counted() {
  let clock = 0;
  const loads: string[] = [];
  const cache = new StateCache<string>(
    async (id) => (loads.push(id), `value of ${id}`),
    () => clock,
    1000,
    10,
  );
  return { cache, loads, tick: (ms: number) => (clock += ms) };
}

test('state cache: an entry is served for one TTL, then read again', async () => {
  const { cache, loads, tick } = counted();
  assert.equal(await cache.get('a'), 'value of a');
  tick(999);
  assert.equal(await cache.get('a'), 'value of a');
  assert.deepEqual(loads, ['a']);
  tick(1);
  await cache.get('a');
  assert.deepEqual(loads, ['a', 'a']);
});

test('state cache: entries not used for two TTLs are dropped, so memory follows what is in use', async () => {
  const { cache, tick } = counted();
  for (let i = 0; i < 8; i++) await cache.get(`user-${i}`);
  assert.equal(cache.size, 8);
  tick(1000);
  await cache.get('other');
  assert.equal(cache.size, 9, 'one TTL on: the old entries are one generation back');
  tick(1000);
  await cache.get('other');
  assert.equal(cache.size, 2, 'two TTLs on: the eight are gone; only "other" is held (its last two reads)');
  tick(5000);
  await cache.get('late');
  assert.equal(cache.size, 1, 'after a quiet spell, nothing stale is kept');
});

test('state cache: a full generation is rotated out, so the cache never holds more than two of them', async () => {
  const { cache } = counted();
  for (let i = 0; i < 35; i++) await cache.get(`user-${i}`);
  assert.ok(cache.size <= 20, `held ${cache.size}`);
});

test('state cache: forget drops an entry at once, and a read already under way does not store the old value', async () => {
  let clock = 0;
  let value = 'old';
  let release!: () => void;
  const cache = new StateCache<string>(
    async () => {
      const seen = value;
      await new Promise<void>((r) => (release = r));
      return seen;
    },
    () => clock,
  );
  const inFlight = cache.get('a');
  value = 'new';
  cache.forget('a');
  release();
  assert.equal(await inFlight, 'old');
  const next = cache.get('a');
  release();
  assert.equal(await next, 'new', 'the stale read was not cached');
  clock += 10;
  assert.equal(await cache.get('a'), 'new');
  cache.forget('a');
  const again = cache.get('a');
  release();
  assert.equal(await again, 'new');
});
