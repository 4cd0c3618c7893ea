/**
 * Password hashes made by other systems, kept as they are when users are
 * imported and replaced by argon2id at the user's next successful login
 * (the login's rehash). This file reads them and holds the one set of bounds
 * on their cost, shared by the import (which refuses a row beyond them) and
 * the verifier (which refuses such a hash at login without hashing): a hash
 * is data an attacker may have written, and its parameters say how much CPU
 * and memory one login spends.
 */
export type HashKind = 'argon2' | 'bcrypt' | 'django-pbkdf2' | 'pbkdf2' | 'firebase-scrypt';

/**
 * The most one foreign hash may ask for. Every common system's defaults sit
 * far below (bcrypt 10-12, Django 1,000,000 iterations at most, Keycloak's
 * PBKDF2 27,500-210,000, argon2 19-64 MiB with t ≤ 4), so no real export is
 * refused; within them one check stays under about 10 s on two cores.
 */
export const HASH_BOUNDS = {
  bcryptCost: 16,
  pbkdf2Iterations: 10_000_000,
  /** scrypt or argon2 memory, KiB (256 MiB). */
  memoryKiB: 256 * 1024,
  argon2Time: 16,
  parallelism: 8,
} as const;

/** What a worker needs to check a password against a foreign hash: the algorithm's primitive and its inputs. */
export type ForeignCheck =
  | { algorithm: 'bcrypt'; hash: string }
  | { algorithm: 'pbkdf2'; digest: Pbkdf2Digest; iterations: number; salt: string; expected: string }
  | { algorithm: 'argon2'; hash: string }
  | FirebaseCheck;

export type Pbkdf2Digest = 'sha1' | 'sha256' | 'sha512';

/**
 * Firebase's modified scrypt: scrypt(password, salt ‖ separator, N = 2^memCost, r = rounds, p = 1), whose first 32
 * bytes are the AES-256-CTR key (zero IV) that encrypts the project's signer key; the result is the stored hash. The
 * signer key is a secret of the old project: the hash names it by `keyRef` (a sealed setting), and the hasher puts
 * it in (`signerKey`) just before the check runs. Salts, separator, key and hash are base64.
 */
export interface FirebaseCheck {
  algorithm: 'firebase-scrypt';
  keyRef: string;
  signerKey?: string;
  rounds: number;
  memCost: number;
  salt: string;
  separator: string;
  expected: string;
}

/** A foreign hash read: the check to run, or why it is refused (unreadable, or beyond HASH_BOUNDS). */
export type ReadHash = { kind: HashKind; check: ForeignCheck } | { kind: HashKind | undefined; refused: string };

const ARGON2 = /^\$argon2(id|i)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const DJANGO = /^pbkdf2_sha256\$(\d{1,10})\$([^$]{1,128})\$([A-Za-z0-9+/]{43}=)$/;
const B64 = '[A-Za-z0-9+/]';
/** PHC-style PBKDF2 (Keycloak's hashes as the import writes them): `$pbkdf2-sha256$i=27500$<salt>$<hash>`, base64. */
const PBKDF2 = new RegExp(
  `^\\$pbkdf2-(sha1|sha256|sha512)\\$i=(\\d{1,10})\\$(${B64}{2,344}={0,2})\\$(${B64}{16,1400}={0,2})$`,
);
/** Firebase's scrypt as the import writes it: `$firebase-scrypt$k=<ref>,r=8,m=14$<salt>$<separator>$<hash>`. */
const FIREBASE = new RegExp(
  `^\\$firebase-scrypt\\$k=([a-f0-9]{16}),r=(\\d{1,3}),m=(\\d{1,2})\\$(${B64}{0,344}={0,2})\\$(${B64}{0,44}={0,2})\\$(${B64}{16,1400}={0,2})$`,
);

/** The PHC-style string of a PBKDF2 hash whose salt and derived key are raw bytes. */
export const pbkdf2Hash = (digest: Pbkdf2Digest, iterations: number, salt: Buffer, derived: Buffer): string =>
  `$pbkdf2-${digest}$i=${iterations}$${salt.toString('base64')}$${derived.toString('base64')}`;

/** Firebase's scrypt hash of one user, its project's signer key named by `keyRef` (see FirebaseCheck). */
export const firebaseHash = (p: {
  keyRef: string;
  rounds: number;
  memCost: number;
  salt: string;
  separator: string;
  hash: string;
}): string => `$firebase-scrypt$k=${p.keyRef},r=${p.rounds},m=${p.memCost}$${p.salt}$${p.separator}$${p.hash}`;

/** scrypt's memory in KiB: 128 · r · N bytes. */
export const scryptMemoryKiB = (rounds: number, memCost: number): number => (128 * rounds * 2 ** memCost) / 1024;

const over = (what: string, value: number, bound: number) => `${what} ${value} is over ${bound}`;

function readArgon2(m: RegExpExecArray, hash: string): ReadHash {
  const [memory, time, lanes] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (memory > HASH_BOUNDS.memoryKiB)
    return { kind: 'argon2', refused: over('argon2 memory (KiB)', memory, HASH_BOUNDS.memoryKiB) };
  if (time > HASH_BOUNDS.argon2Time)
    return { kind: 'argon2', refused: over('argon2 time cost', time, HASH_BOUNDS.argon2Time) };
  if (lanes > HASH_BOUNDS.parallelism)
    return { kind: 'argon2', refused: over('argon2 parallelism', lanes, HASH_BOUNDS.parallelism) };
  if (memory < 8 * lanes || time < 1 || lanes < 1) return { kind: 'argon2', refused: 'argon2 parameters out of range' };
  return { kind: 'argon2', check: { algorithm: 'argon2', hash } };
}

function readPbkdf2(
  kind: HashKind,
  digest: Pbkdf2Digest,
  iterations: number,
  salt: string,
  expected: string,
): ReadHash {
  if (iterations > HASH_BOUNDS.pbkdf2Iterations)
    return { kind, refused: over('PBKDF2 iterations', iterations, HASH_BOUNDS.pbkdf2Iterations) };
  if (iterations < 1) return { kind, refused: 'PBKDF2 iterations under 1' };
  return { kind, check: { algorithm: 'pbkdf2', digest, iterations, salt, expected } };
}

function readFirebase(m: RegExpExecArray): ReadHash {
  const [rounds, memCost] = [Number(m[2]), Number(m[3])];
  const memory = scryptMemoryKiB(rounds, memCost);
  if (memory > HASH_BOUNDS.memoryKiB)
    return { kind: 'firebase-scrypt', refused: over('scrypt memory (KiB)', memory, HASH_BOUNDS.memoryKiB) };
  if (rounds < 1 || memCost < 1) return { kind: 'firebase-scrypt', refused: 'scrypt parameters out of range' };
  return {
    kind: 'firebase-scrypt',
    check: {
      algorithm: 'firebase-scrypt',
      keyRef: m[1]!,
      rounds,
      memCost,
      salt: m[4]!,
      separator: m[5]!,
      expected: m[6]!,
    },
  };
}

/** Reads a stored hash of another system: the check to run, or why it is refused. */
export function readForeignHash(hash: string): ReadHash {
  const pbkdf2 = PBKDF2.exec(hash);
  if (pbkdf2) return readPbkdf2('pbkdf2', pbkdf2[1] as Pbkdf2Digest, Number(pbkdf2[2]), pbkdf2[3]!, pbkdf2[4]!);
  const firebase = FIREBASE.exec(hash);
  if (firebase) return readFirebase(firebase);
  const argon2 = ARGON2.exec(hash);
  if (argon2) return readArgon2(argon2, hash);
  const bcrypt = BCRYPT.exec(hash);
  if (bcrypt) {
    const cost = Number(bcrypt[1]);
    if (cost > HASH_BOUNDS.bcryptCost)
      return { kind: 'bcrypt', refused: over('bcrypt cost', cost, HASH_BOUNDS.bcryptCost) };
    if (cost < 4) return { kind: 'bcrypt', refused: 'bcrypt cost under 4' };
    // $2y$ (PHP) is the same algorithm as $2b$.
    return { kind: 'bcrypt', check: { algorithm: 'bcrypt', hash: hash.replace(/^\$2y\$/, '$2b$') } };
  }
  const django = DJANGO.exec(hash);
  if (django)
    // Django's salt is text; the check takes every salt as base64.
    return readPbkdf2(
      'django-pbkdf2',
      'sha256',
      Number(django[1]),
      Buffer.from(django[2]!, 'utf8').toString('base64'),
      django[3]!,
    );
  return {
    kind: undefined,
    refused:
      'not a bcrypt ($2a$, $2b$, $2y$), argon2 ($argon2id$, $argon2i$), PBKDF2 ($pbkdf2-sha256$, Django pbkdf2_sha256) or Firebase scrypt hash',
  };
}

/** The kind of an existing hash this server can read (whatever its parameters), or undefined. */
export const hashKind = (hash: string): HashKind | undefined => readForeignHash(hash).kind;
