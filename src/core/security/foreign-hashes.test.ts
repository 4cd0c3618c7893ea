import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { checkImportRow } from '../users/user.import-rows.js';
import { AppError } from '../errors.js';
import { HASH_BOUNDS, hashKind, readForeignHash } from './foreign-hashes.js';
import { createPasswordHasher } from './password-hasher.js';

// Made the way Django makes them: base64(PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes)).
const django = (password: string, salt: string, iterations: number) =>
  `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;

const BCRYPT_16 = `$2b$16$${'a'.repeat(22)}${'b'.repeat(31)}`;

test('foreign hashes: each kind is recognised and verified off the event loop; unreadable ones are refused', async (t) => {
  const hasher = await createPasswordHasher({ concurrency: 2, queueTimeout: 5 });
  t.after(() => hasher.close());
  const hashes = {
    bcrypt: [
      bcrypt.hashSync('lètmein-1', 4),
      bcrypt.hashSync('lètmein-1', 4).replace('$2b$', '$2y$'),
      bcrypt.hashSync('lètmein-1', 4).replace('$2b$', '$2a$'),
    ],
    'django-pbkdf2': [django('lètmein-1', 'seasalt', 1000)],
    argon2: [
      await hash('lètmein-1', { algorithm: 1 }),
      await hash('lètmein-1', { algorithm: 2, memoryCost: 4096, timeCost: 3 }),
    ],
  };
  for (const [kind, list] of Object.entries(hashes)) {
    for (const h of list) {
      assert.equal(hashKind(h), kind, h);
      assert.equal(await hasher.check(h, 'lètmein-1', ['k']), 'ok', h);
      assert.equal(await hasher.check(h, 'letmein-1', ['k']), 'wrong', h);
      assert.equal(hasher.needsRehash(h), true, h);
    }
  }
  for (const h of ['md5$abc$def', 'sha1$x$y', '$2b$04$short', '', 'plain']) {
    assert.equal(hashKind(h), undefined, h);
    assert.equal(await hasher.check(h, 'anything', ['k']), 'refused', h);
  }
  // Shaped like Django's, but zero iterations: refused, never run.
  assert.equal(await hasher.check(`pbkdf2_sha256$0$salt$${'A'.repeat(43)}=`, 'anything', ['k']), 'refused');
});

test('hash bounds: one place; hostile costs are refused with the reason, the bounds themselves are accepted', async (t) => {
  const salt = 'c29tZXNhbHQ';
  const refused: Array<[string, RegExp]> = [
    [`$2b$31$${'a'.repeat(53)}`, /bcrypt cost 31 is over 16/],
    [`$2y$17$${'a'.repeat(53)}`, /bcrypt cost 17 is over 16/],
    [`$argon2id$v=19$m=2097152,t=2,p=1$${salt}$${salt}`, /argon2 memory \(KiB\) 2097152 is over 262144/],
    [`$argon2id$v=19$m=19456,t=4294967295,p=1$${salt}$${salt}`, /argon2 time cost 4294967295 is over 16/],
    [`$argon2i$v=19$m=19456,t=2,p=9$${salt}$${salt}`, /argon2 parallelism 9 is over 8/],
    [`pbkdf2_sha256$10000001$salt$${'A'.repeat(43)}=`, /PBKDF2 iterations 10000001 is over 10000000/],
  ];
  for (const [h, why] of refused) {
    const read = readForeignHash(h);
    assert.ok('refused' in read, h);
    assert.match(read.refused, why);
  }
  assert.equal(HASH_BOUNDS.bcryptCost, 16);
  for (const h of [
    BCRYPT_16,
    `$argon2id$v=19$m=262144,t=16,p=8$${salt}$${salt}`,
    `pbkdf2_sha256$10000000$salt$${'A'.repeat(43)}=`,
  ]) {
    assert.ok('check' in readForeignHash(h), h);
  }
  // At login a refused hash costs one ordinary dummy check, never its own parameters.
  const hasher = await createPasswordHasher({ concurrency: 2, queueTimeout: 5 });
  t.after(() => hasher.close());
  for (const [h] of refused) assert.equal(await hasher.check(h, 'anything', ['k']), 'refused');
});

test('a foreign check past its time bound is abandoned as a failed login, and ordinary checks go on beside it', async (t) => {
  // bcrypt at cost 16 in bcryptjs takes seconds; with a 1 s bound the check is answered timed_out.
  const hasher = await createPasswordHasher({ concurrency: 2, queueTimeout: 30, checkTimeout: 1 });
  t.after(() => hasher.close());
  const own = await hasher.hash('Orbit-Lantern-42', ['k']);
  const slow = hasher.check(BCRYPT_16, 'anything', ['attacker']);
  const order: string[] = [];
  const ordinary = hasher.check(own, 'Orbit-Lantern-42', ['owner']).then((o) => order.push(`owner:${o}`));
  await Promise.all([slow.then((o) => order.push(`attacker:${o}`)), ordinary]);
  assert.deepEqual(order, ['owner:ok', 'attacker:timed_out']);
});

test('closing the hasher answers waiting and running foreign checks 503 at once; an ordinary check waiting still runs', async () => {
  const hasher = await createPasswordHasher({ concurrency: 1, queueTimeout: 30, checkTimeout: 60 });
  const own = await hasher.hash('Orbit-Lantern-42', ['k']);
  const running = hasher.check(BCRYPT_16, 'anything', ['a']).catch((e: unknown) => e);
  const waiting = hasher.check(BCRYPT_16, 'anything', ['b']).catch((e: unknown) => e);
  const ordinary = hasher.check(own, 'Orbit-Lantern-42', ['c']);
  await new Promise((r) => setTimeout(r, 100));
  await hasher.close();
  for (const outcome of await Promise.all([running, waiting])) {
    assert.ok(outcome instanceof AppError && outcome.code === 'SERVICE_UNAVAILABLE', String(outcome));
  }
  assert.equal(await ordinary, 'ok');
});

test('import rows: the user rules apply; one of password or password_hash; unknown fields and deleted users refused', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ok = checkImportRow(
    1,
    {
      username: 'ada_l',
      email: 'ada@example.com',
      password_hash: django('x', 's', 1000),
      role: 'moderator',
      notifications: 'false',
    },
    now,
  );
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
  assert.match(reason({ password_hash: `$2b$31$${'a'.repeat(53)}` }), /bcrypt cost 31 is over 16/);
  assert.match(reason({ nickname: 'x' }), /unknown field nickname/);
  assert.match(reason({ username: 'a b' }), /username/);
  assert.match(reason({ role: 'root' }), /role/);
  assert.match(reason({ date_of_birth: '1990-02-30' }), /date_of_birth/);
  assert.match(reason({ deleted_at: '2025-01-01T00:00:00Z' }), /deleted users are not imported/);
  assert.match(reason({ created_at: '2027-01-01T00:00:00Z' }), /created_at/);
  assert.equal(reason({}), '', 'no password at all: a user who sets one through a reset');
});
