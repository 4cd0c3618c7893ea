import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { checkImportRow } from '../users/user.import.js';
import { hashKind, verifyForeign } from './foreign-hashes.js';

// Made the way Django makes them: base64(PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes)).
const django = (password: string, salt: string, iterations: number) => `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;

test('foreign hashes: each kind is recognised, verifies its own password and refuses another', async () => {
  const hashes = {
    bcrypt: [bcrypt.hashSync('lètmein-1', 4), bcrypt.hashSync('lètmein-1', 4).replace('$2b$', '$2y$'), bcrypt.hashSync('lètmein-1', 4).replace('$2b$', '$2a$')],
    'django-pbkdf2': [django('lètmein-1', 'seasalt', 1000)],
    argon2: [await hash('lètmein-1', { algorithm: 1 }), await hash('lètmein-1', { algorithm: 2 })],
  };
  for (const [kind, list] of Object.entries(hashes)) {
    for (const h of list) {
      assert.equal(hashKind(h), kind, h);
      if (kind !== 'argon2') {
        assert.equal(await verifyForeign(h, 'lètmein-1'), true, h);
        assert.equal(await verifyForeign(h, 'letmein-1'), false, h);
      }
    }
  }
  for (const h of ['md5$abc$def', 'sha1$x$y', '$2b$04$short', '', 'plain']) {
    assert.equal(hashKind(h), undefined, h);
    assert.equal(await verifyForeign(h, 'anything'), false, h);
  }
  // Shaped like Django's, but zero iterations: refused, never run.
  assert.equal(await verifyForeign(`pbkdf2_sha256$0$salt$${'A'.repeat(43)}=`, 'anything'), false);
});

test('import rows: the user rules apply; one of password or password_hash; unknown fields and deleted users refused', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ok = checkImportRow(1, { username: 'ada_l', email: 'ada@example.com', password_hash: django('x', 's', 1000), role: 'moderator', notifications: 'false' }, now);
  assert.ok('record' in ok);
  assert.equal(ok.record.role, 'moderator');
  assert.equal(ok.record.preferences.notifications, false);
  assert.equal(ok.record.emailVerified, true);
  const reason = (fields: Record<string, unknown>) => {
    const r = checkImportRow(7, { username: 'ada_l', email: 'ada@example.com', ...fields }, now);
    return 'reason' in r ? r.reason : '';
  };
  assert.match(reason({ password: 'short' }), /password/);
  assert.match(reason({ password: 'LongEnough-1', password_hash: django('x', 's', 1000) }), /not both/);
  assert.match(reason({ password_hash: 'md5$x$y' }), /not a bcrypt/);
  assert.match(reason({ nickname: 'x' }), /unknown field nickname/);
  assert.match(reason({ username: 'a b' }), /username/);
  assert.match(reason({ role: 'root' }), /role/);
  assert.match(reason({ date_of_birth: '1990-02-30' }), /date_of_birth/);
  assert.match(reason({ deleted_at: '2025-01-01T00:00:00Z' }), /deleted users are not imported/);
  assert.match(reason({ created_at: '2027-01-01T00:00:00Z' }), /created_at/);
  assert.equal(reason({}), '', 'no password at all: a user who sets one through a reset');
});
