import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Countable, CountCache } from './user.counts.js';

const user = (status: Countable['status'], searchText: string): Countable => ({ status, role: 'user', searchText });

test('counts are cached per filter for the TTL, then counted again', async () => {
  let t = 0;
  let counted = 0;
  const cache = new CountCache(() => t, 10_000);
  const count = async () => ++counted * 100;
  assert.equal(await cache.get({}, count), 100);
  assert.equal(await cache.get({}, count), 100);
  assert.equal(await cache.get({ status: 'active' }, count), 200);
  t = 10_000;
  assert.equal(await cache.get({}, count), 300);
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
