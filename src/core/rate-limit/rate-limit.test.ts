import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLimits, createMemoryStore } from './rate-limit.js';

test('fixed windows: counts, remaining, reset, and a fresh window after reset', async () => {
  const store = createMemoryStore();
  const rules = [{ key: 'a', limit: 2, windowMs: 1000 }];
  const first = await checkLimits(store, rules, 10_000);
  assert.deepEqual(first, { allowed: true, limit: 2, remaining: 1, resetAt: 11_000, retryAfter: 0 });
  assert.equal((await checkLimits(store, rules, 10_100)).remaining, 0);
  const third = await checkLimits(store, rules, 10_200);
  assert.equal(third.allowed, false);
  assert.equal(third.retryAfter, 1);
  assert.equal((await checkLimits(store, rules, 11_000)).allowed, true);
  await store.close();
});

test('several rules: headers follow the one closest to running out; a refusal reports the longest wait', async () => {
  const store = createMemoryStore();
  const rules = [
    { key: 'minute', limit: 5, windowMs: 60_000 },
    { key: 'second', limit: 3, windowMs: 1000 },
  ];
  const v = await checkLimits(store, rules, 0);
  assert.equal(v.limit, 3);
  assert.equal(v.remaining, 2);
  await checkLimits(store, rules, 1);
  await checkLimits(store, rules, 2);
  const burst = await checkLimits(store, rules, 3);
  assert.equal(burst.allowed, false);
  assert.equal(burst.limit, 3);
  await checkLimits(store, rules, 1000);
  const both = await checkLimits(store, rules, 1001);
  assert.equal(both.allowed, false);
  assert.equal(both.limit, 5, 'the minute window refuses longest');
  assert.equal(both.retryAfter, 59);
  await store.close();
});
