import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hashRaw } from '@node-rs/argon2';
import { keycloakPasswordHash } from '../users/import-sources/keycloak-credentials.js';
import { HASH_BOUNDS, firebaseHash, pbkdf2Hash, readForeignHash } from './foreign-hashes.js';
import { foreignKeyRef } from './foreign-keys.js';
import { createPasswordHasher } from './password-hasher.js';

// firebase/scrypt's published example (its README): the project's parameters, a user's salt, password and hash.
const FIREBASE = {
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  separator: 'Bw==',
  salt: '42xEC+ixf3L2lw==',
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
};

const keycloak = (secret: object, data: object) => ({
  type: 'password',
  secretData: JSON.stringify(secret),
  credentialData: JSON.stringify(data),
});

test('Keycloak PBKDF2 (SHA-1, SHA-256, SHA-512) and argon2 credentials become hashes the login verifies', async (t) => {
  const hasher = await createPasswordHasher({ concurrency: 2, queueTimeout: 5 });
  t.after(() => hasher.close());
  const salt = randomBytes(16);
  const made: string[] = [];
  for (const [algorithm, digest, bytes] of [
    ['pbkdf2-sha256', 'sha256', 32],
    ['pbkdf2-sha256', 'sha256', 64],
    ['pbkdf2-sha512', 'sha512', 128],
    ['pbkdf2', 'sha1', 64],
  ] as const) {
    // Computed here with node:crypto, as Keycloak's PBEKeySpec does (UTF-8 password, raw salt).
    const value = pbkdf2Sync('pässword-1', salt, 1000, bytes, digest).toString('base64');
    const read = keycloakPasswordHash(
      keycloak({ value, salt: salt.toString('base64') }, { hashIterations: 1000, algorithm, additionalParameters: {} }),
    );
    assert.ok('hash' in read, algorithm);
    assert.equal(read.hash, pbkdf2Hash(digest, 1000, salt, Buffer.from(value, 'base64')));
    made.push(read.hash);
  }
  const raw = await hashRaw('pässword-1', { algorithm: 2, memoryCost: 7168, timeCost: 5, parallelism: 1, salt });
  const argon = keycloakPasswordHash(
    keycloak(
      { value: raw.toString('base64'), salt: salt.toString('base64') },
      {
        hashIterations: 5,
        algorithm: 'argon2',
        additionalParameters: {
          hashLength: ['32'],
          memory: ['7168'],
          type: ['id'],
          version: ['1.3'],
          parallelism: ['1'],
        },
      },
    ),
  );
  assert.ok('hash' in argon);
  assert.match(argon.hash, /^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
  made.push(argon.hash);
  for (const h of made) {
    assert.equal(await hasher.check(h, 'pässword-1', ['k']), 'ok', h);
    assert.equal(await hasher.check(h, 'password-1', ['k']), 'wrong', h);
    assert.equal(hasher.needsRehash(h), true);
  }
  assert.match(
    (
      keycloakPasswordHash(keycloak({ value: 'AA==', salt: 'AA==' }, { hashIterations: 1, algorithm: 'md5' })) as {
        error: string;
      }
    ).error,
    /md5 are not supported/,
  );
});

test("Firebase's modified scrypt: firebase/scrypt's published vector verifies with the signer key the hash names", async (t) => {
  const ref = foreignKeyRef(FIREBASE.signerKey);
  const keys = new Map([[ref, FIREBASE.signerKey]]);
  const hasher = await createPasswordHasher({
    concurrency: 2,
    queueTimeout: 5,
    foreignKey: async (r) => keys.get(r),
  });
  t.after(() => hasher.close());
  const h = firebaseHash({
    keyRef: ref,
    rounds: 8,
    memCost: 14,
    salt: FIREBASE.salt,
    separator: FIREBASE.separator,
    hash: FIREBASE.hash,
  });
  assert.equal(readForeignHash(h).kind, 'firebase-scrypt');
  assert.equal(await hasher.check(h, 'user1password', ['k']), 'ok');
  assert.equal(await hasher.check(h, 'user2password', ['k']), 'wrong');
  // Another project's key (or none on this server): refused, never a match.
  const other = firebaseHash({
    keyRef: 'ffffffffffffffff',
    rounds: 8,
    memCost: 14,
    salt: FIREBASE.salt,
    separator: FIREBASE.separator,
    hash: FIREBASE.hash,
  });
  assert.equal(await hasher.check(other, 'user1password', ['k']), 'refused');
});

test('bounds: PBKDF2 over 10 million iterations and scrypt over 256 MiB are refused with the reason; the bounds pass', () => {
  const salt = randomBytes(16);
  const key = Buffer.alloc(32, 1);
  const over = readForeignHash(pbkdf2Hash('sha256', HASH_BOUNDS.pbkdf2Iterations + 1, salt, key));
  assert.ok('refused' in over && /PBKDF2 iterations 10000001 is over 10000000/.test(over.refused));
  assert.ok('check' in readForeignHash(pbkdf2Hash('sha512', HASH_BOUNDS.pbkdf2Iterations, salt, key)));
  const scrypt = (rounds: number, memCost: number) =>
    readForeignHash(
      firebaseHash({ keyRef: 'a'.repeat(16), rounds, memCost, salt: 'AA==', separator: 'Bw==', hash: FIREBASE.hash }),
    );
  const big = scrypt(8, 19);
  assert.ok('refused' in big && /scrypt memory \(KiB\) 524288 is over 262144/.test(big.refused));
  assert.ok('check' in scrypt(8, 18));
  assert.ok('refused' in scrypt(0, 14));
});
