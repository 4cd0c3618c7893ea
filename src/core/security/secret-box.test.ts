import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBoxError, createSecretBox, parseSecretsKey } from './secret-box.js';

test('seal and open: versioned, bound to its context, plain legacy values read as they are', () => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
  assert.match(sealed, /^sb1:/);
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'totp:u1'), sealed, 'a fresh IV each time');
  assert.equal(box.open(sealed, 'totp:u1'), 'JBSWY3DPEHPK3PXP');
  assert.throws(() => box.open(sealed, 'totp:u2'), SecretBoxError, 'another row');
  assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'totp:u1'), SecretBoxError, 'another key');
  assert.throws(() => box.open(`${sealed.slice(0, -2)}AA`, 'totp:u1'), SecretBoxError, 'tampered');
  assert.equal(box.open('plain-legacy', 'totp:u1'), 'plain-legacy');
  const open = createSecretBox(undefined);
  assert.equal(open.seal('x'), 'x');
  assert.throws(() => open.open(sealed), /USHER_SECRETS_KEY is not set/);
});

test('USHER_SECRETS_KEY: 32 bytes in base64 (standard or URL-safe)', () => {
  const raw = randomBytes(32);
  assert.deepEqual(parseSecretsKey(raw.toString('base64')), raw);
  assert.deepEqual(parseSecretsKey(raw.toString('base64url')), raw);
  assert.equal(parseSecretsKey(randomBytes(31).toString('base64')), undefined);
  assert.equal(parseSecretsKey('not a key at all, not a key at all, not a key'), undefined);
});
