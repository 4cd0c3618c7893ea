/**
 * Password hashes made by other systems, kept as they are when users are
 * imported and replaced by argon2id at the user's next successful login
 * (the login's rehash). This file reads them and holds the one set of bounds
 * on their cost, shared by the import (which refuses a row beyond them) and
 * the verifier (which refuses such a hash at login without hashing): a hash
 * is data an attacker may have written, and its parameters say how much CPU
 * and memory one login spends.
 */
export type HashKind = 'argon2' | 'bcrypt' | 'django-pbkdf2';

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
  | { algorithm: 'pbkdf2'; digest: 'sha1' | 'sha256' | 'sha512'; iterations: number; salt: string; expected: string }
  | { algorithm: 'argon2'; hash: string };

/** A foreign hash read: the check to run, or why it is refused (unreadable, or beyond HASH_BOUNDS). */
export type ReadHash = { kind: HashKind; check: ForeignCheck } | { kind: HashKind | undefined; refused: string };

const ARGON2 = /^\$argon2(id|i)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const DJANGO = /^pbkdf2_sha256\$(\d{1,10})\$([^$]{1,128})\$([A-Za-z0-9+/]{43}=)$/;

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

/** Reads a stored hash of another system: the check to run, or why it is refused. */
export function readForeignHash(hash: string): ReadHash {
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
  if (django) {
    const iterations = Number(django[1]);
    if (iterations > HASH_BOUNDS.pbkdf2Iterations)
      return { kind: 'django-pbkdf2', refused: over('PBKDF2 iterations', iterations, HASH_BOUNDS.pbkdf2Iterations) };
    if (iterations < 1) return { kind: 'django-pbkdf2', refused: 'PBKDF2 iterations under 1' };
    return {
      kind: 'django-pbkdf2',
      check: { algorithm: 'pbkdf2', digest: 'sha256', iterations, salt: django[2]!, expected: django[3]! },
    };
  }
  return {
    kind: undefined,
    refused: 'not a bcrypt ($2a$, $2b$, $2y$), argon2 ($argon2id$, $argon2i$) or Django pbkdf2_sha256 hash',
  };
}

/** The kind of an existing hash this server can read (whatever its parameters), or undefined. */
export const hashKind = (hash: string): HashKind | undefined => readForeignHash(hash).kind;
