import assert from 'node:assert/strict';
import { test } from 'node:test';
import safeRegex from 'safe-regex2';
import { PICTURE_PATTERNS } from './picture.js';
import { PATTERNS } from '../patterns.js';
import { LIMITS, checkDateOfBirth, checkSearch, checkUserFields } from './user.rules.js';

test('valid fields produce no errors', () => {
  assert.deepEqual(
    checkUserFields({
      username: 'john_doe-1',
      email: 'john.doe@example.com',
      password: 'SecurePass123!',
      firstName: 'John',
      lastName: "O'Brien",
      phoneNumber: '+1-555-0123',
      dateOfBirth: '1990-01-15',
      bio: 'Line one\nline two',
      theme: 'dark',
    }),
    {},
  );
});

test('phone numbers: international formats in, junk out', () => {
  for (const ok of ['+1-555-0123', '+44 20 7946 0958', '+1 (555) 123-4567', '5550123456', '+491701234567']) {
    assert.deepEqual(checkUserFields({ phoneNumber: ok }), {}, ok);
  }
  for (const bad of ['call me', '123', '+', '++15550123', '+1-555-0123 ext', '1234567890123456', '+1--555']) {
    assert.ok(checkUserFields({ phoneNumber: bad }).phone_number, bad);
  }
});

test('emails: common shapes in, malformed out', () => {
  for (const ok of ['a@b.co', 'first.last+tag@sub.example.org', "o'hara@example.ie", 'x@xn--bcher-kva.example'])
    assert.deepEqual(checkUserFields({ email: ok }), {}, ok);
  for (const bad of [
    'plain',
    '@example.com',
    'a@',
    'a@b',
    'a b@example.com',
    'a..b@example.com',
    '.a@example.com',
    'a@-example.com',
    'a@example..com',
    `${'l'.repeat(65)}@example.com`,
  ]) {
    assert.ok(checkUserFields({ email: bad }).email, bad);
  }
});

test('dates of birth: real calendar dates, not in the future, not before 1900', () => {
  const today = new Date('2026-06-15T12:00:00Z');
  const check = (v: string) => {
    const e: Record<string, string> = {};
    checkDateOfBirth(e, v, today);
    return e.date_of_birth;
  };
  assert.equal(check('2024-02-29'), undefined);
  assert.equal(check('2026-06-15'), undefined);
  assert.match(check('2023-02-29')!, /real date/);
  assert.match(check('2026-06-16')!, /future/);
  assert.match(check('1899-12-31')!, /1900/);
  assert.match(check('1990-1-5')!, /YYYY-MM-DD/);
});

test('passwords count characters, not bytes, and need a letter and a digit in any script', () => {
  assert.deepEqual(checkUserFields({ password: 'пароль123' }), {});
  assert.deepEqual(checkUserFields({ password: '密码密码密码密码1' }), {});
  assert.match(checkUserFields({ password: '😀😀😀😀😀😀😀' }).password!, /at least 8/);
});

test('names may not be blank or carry control characters; bio may carry newlines', () => {
  assert.match(checkUserFields({ firstName: '   ' }).first_name!, /blank/);
  assert.match(checkUserFields({ lastName: 'a\tb' }).last_name!, /not allowed/);
  assert.deepEqual(checkUserFields({ bio: 'a\tb\r\nc' }), {});
  assert.match(checkUserFields({ bio: 'a\u0007b' }).bio!, /not allowed/);
});

test('search terms are bounded and printable', () => {
  assert.equal(checkSearch('alice'), undefined);
  assert.ok(checkSearch('a'.repeat(101)));
  assert.ok(checkSearch('a\nb'));
});

test('every input pattern is a flat repetition (no quantifier inside a quantifier)', () => {
  for (const [name, pattern] of Object.entries({ ...PATTERNS, ...PICTURE_PATTERNS })) {
    assert.ok(safeRegex(pattern), `${name}: ${pattern} nests a repetition`);
  }
});

test('each pattern, fed its worst input at the field maximum, keeps the whole check under a millisecond', () => {
  // Inputs that make backtracking patterns explode: long runs of what a repetition
  // accepts, then one character that makes the whole match fail at the end.
  const worst = {
    phoneNumber: `${'1'.repeat(31)}x`,
    email: `${'a.'.repeat(31)}a@${'a-'.repeat(80)}a.c0m`.slice(0, LIMITS.emailMax),
    username: `${'a'.repeat(LIMITS.usernameMax - 1)}!`,
    firstName: `${'a '.repeat(LIMITS.nameMax / 2 - 1)}a\u0000`,
    bio: `${'a\n'.repeat(LIMITS.bioMax / 2 - 1)}\u0007`,
    dateOfBirth: '1'.repeat(10),
    theme: 'x'.repeat(LIMITS.themeMax),
  };
  // Slowest single field of all, best of 20 runs (a run can be paused by the scheduler; a
  // backtracking pattern is slow every time): linear patterns take microseconds here.
  const best = Math.min(
    ...Array.from({ length: 20 }, () => {
      const start = process.hrtime.bigint();
      const errors = checkUserFields(worst);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      assert.ok(
        errors.phone_number &&
          errors.email &&
          errors.username &&
          errors.first_name &&
          errors.bio &&
          errors.date_of_birth,
      );
      return ms;
    }),
  );
  assert.ok(best < 1, `the check took ${best.toFixed(3)} ms`);
  // The reported attack, and the same at any length: refused, and quickly.
  for (const n of [31, 1000, 100_000]) assert.ok(checkUserFields({ phoneNumber: `${'1'.repeat(n)}x` }).phone_number);
});
