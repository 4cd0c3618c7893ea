import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import { checkName, counterAccepted, passkeyName } from './passkey.rules.js';

test('the counter must grow, unless both are 0 (synced passkeys keep none)', () => {
  assert.equal(counterAccepted(0, 0), true);
  assert.equal(counterAccepted(0, 1), true);
  assert.equal(counterAccepted(5, 6), true);
  assert.equal(counterAccepted(5, 5), false);
  assert.equal(counterAccepted(5, 4), false);
  assert.equal(counterAccepted(5, 0), false, 'a counter that was counting cannot fall back to 0');
});

test('names: trimmed, 1-64 printable characters; none given names the kind', () => {
  assert.equal(checkName('  Work laptop '), 'Work laptop');
  for (const bad of ['', '   ', 'x'.repeat(65), 'a\nb', 'a\u0000b'])
    assert.throws(
      () => checkName(bad),
      (e: unknown) => e instanceof AppError && e.code === 'VALIDATION_ERROR',
    );
  assert.equal(passkeyName(undefined, 'singleDevice'), 'Passkey');
  assert.equal(passkeyName(' ', 'multiDevice'), 'Synced passkey');
  assert.equal(passkeyName('Phone', 'multiDevice'), 'Phone');
});
