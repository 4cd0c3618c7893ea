import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FieldErrors } from '../errors.js';
import { createPasswordStrength, estimatorWorker } from './password-strength.js';

const judge = async (strength: ReturnType<typeof createPasswordStrength>, password: string, related: string[] = []) => {
  const errors: FieldErrors = {};
  await strength.check(errors, 'password', password, related);
  return errors.password;
};

test('password strength: zxcvbn in a worker refuses guessable passwords with its reason, accepts strong ones, and stops when idle', async (t) => {
  const worker = estimatorWorker(300);
  t.after(() => worker.close());
  const strength = createPasswordStrength(3, worker);
  assert.equal(worker.running, false, 'nothing is loaded before the first check');
  assert.match((await judge(strength, 'password1'))!, /^Password is too easy to guess: .+/);
  assert.match((await judge(strength, 'alice_walker1990', ['alice_walker']))!, /too easy to guess/, "the user's own name makes a password weak");
  assert.equal(await judge(strength, 'correct-Horse-battery-staple-42'), undefined);
  assert.equal(worker.running, true);
  // Checks made at once are each answered (the worker queues them).
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => judge(strength, i % 2 ? `qwerty${i}` : `Vq8#mt-${i}-Lzp!r2`)));
  assert.deepEqual(
    many.map((m) => m !== undefined),
    Array.from({ length: 20 }, (_, i) => i % 2 === 1),
  );
  await sleep(600);
  assert.equal(worker.running, false, 'the worker (and its dictionaries) is gone after idleMs without a check');
  assert.match((await judge(strength, 'letmein'))!, /too easy to guess/, 'the next check starts it again');
});

test('password strength: off at a minimum score of 0, without starting the worker', async () => {
  const worker = estimatorWorker();
  const strength = createPasswordStrength(0, worker);
  assert.equal(await judge(strength, 'password1'), undefined);
  assert.equal(worker.running, false);
});

test('password strength: checks beyond the bound are refused with 503 at once, not queued without end', async (t) => {
  const worker = estimatorWorker(60_000, 4);
  t.after(() => worker.close());
  const strength = createPasswordStrength(3, worker);
  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => judge(strength, `Vq8#mt-${i}-Lzp!r2`)));
  assert.deepEqual(
    outcomes.map((o) => o.status),
    [...Array(4).fill('fulfilled'), ...Array(6).fill('rejected')],
  );
  const refused = outcomes[9] as PromiseRejectedResult;
  assert.equal(refused.reason.code, 'SERVICE_UNAVAILABLE');
  assert.match((await judge(strength, 'letmein2'))!, /^Password is too easy to guess: /, 'once the queue drains, checks run again');
});
