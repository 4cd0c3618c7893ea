import assert from 'node:assert/strict';
import fc from 'fast-check';
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
  assert.match(
    (await judge(strength, 'alice_walker1990', ['alice_walker']))!,
    /too easy to guess/,
    "the user's own name makes a password weak",
  );
  assert.equal(await judge(strength, 'correct-Horse-battery-staple-42'), undefined);
  assert.equal(worker.running, true);
  // Checks made at once are each answered (the worker queues them).
  const many = await Promise.all(
    Array.from({ length: 20 }, (_, i) => judge(strength, i % 2 ? `qwerty${i}` : `Vq8#mt-${i}-Lzp!r2`)),
  );
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
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) => judge(strength, `Vq8#mt-${i}-Lzp!r2`)),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    [...Array(4).fill('fulfilled'), ...Array(6).fill('rejected')],
  );
  const refused = outcomes[9] as PromiseRejectedResult;
  assert.equal(refused.reason.code, 'SERVICE_UNAVAILABLE');
  assert.match(
    (await judge(strength, 'letmein2'))!,
    /^Password is too easy to guess: /,
    'once the queue drains, checks run again',
  );
});

test("password strength: the worker's sorted word lists give zxcvbn's own verdicts (against zxcvbn with its stock lists)", async (t) => {
  const worker = estimatorWorker();
  t.after(() => worker.close());
  const { ZxcvbnFactory } = await import('@zxcvbn-ts/core');
  const common = await import('@zxcvbn-ts/language-common');
  const en = await import('@zxcvbn-ts/language-en');
  const stock = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: 4,
    maxLength: 64,
  });
  const words = [
    'password',
    'dragon',
    'monkey',
    'letmein',
    'sunshine',
    'qwerty',
    'football',
    'jordan',
    'michael',
    'correct',
    'horse',
    'battery',
    'staple',
    'zebra',
    'constructor',
    '__proto__',
    'toString',
  ];
  // Words at the ranks where zxcvbn's feedback changes ("top-10", "top-100" common passwords) and around its score
  // thresholds.
  const atRanks = Object.values({ ...common.dictionary, ...en.dictionary }).flatMap((list) =>
    [0, 9, 10, 99, 100, 999, 1000, 9999, 10000].flatMap((i) => list[i] ?? []),
  );
  const passwords = [
    ...words,
    ...atRanks,
    ...fc.sample(
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc
          .tuple(fc.constantFrom(...words), fc.constantFrom(...words), fc.nat(9999), fc.constantFrom('', '!', '1', '$'))
          .map(([a, b, n, s]) => `${a}${b}${n}${s}`),
        fc
          .constantFrom(...words)
          .map((w) => w.replace(/a/g, '@').replace(/o/g, '0').replace(/e/g, '3').replace(/s/g, '$')),
      ),
      { numRuns: 400, seed: 20261201 },
    ),
  ];
  // With the user's own details and without (the user-inputs list is zxcvbn's own object, looked up after the others).
  for (const related of [['alice_walker', 'alice@example.com'], []]) {
    for (const password of passwords) {
      const expected = stock.check(password, related);
      const got = await worker.estimate(password, related);
      assert.deepEqual(
        got,
        {
          score: expected.score,
          why: [expected.feedback.warning, ...expected.feedback.suggestions].filter(Boolean).join(' '),
        },
        `${JSON.stringify(password)} with ${related.length} related`,
      );
    }
  }
});
