import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

/**
 * Password hashes made by other systems, kept as they are when users are
 * imported and replaced by argon2id at the user's next successful login
 * (the login's rehash). Verified with maintained code: bcryptjs for bcrypt,
 * node:crypto's PBKDF2 for Django's `pbkdf2_sha256`; argon2i and argon2id
 * hashes are verified by the argon2 library itself.
 */
export type HashKind = 'argon2' | 'bcrypt' | 'django-pbkdf2';

const SHAPES: ReadonlyArray<[HashKind, RegExp]> = [
  ['argon2', /^\$argon2(id|i)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/],
  ['bcrypt', /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/],
  ['django-pbkdf2', /^pbkdf2_sha256\$\d{1,7}\$[^$]{1,128}\$[A-Za-z0-9+/]{43}=$/],
];

/** The kind of an existing hash this server can verify, or undefined. */
export const hashKind = (hash: string): HashKind | undefined => SHAPES.find(([, shape]) => shape.test(hash))?.[0];

const pbkdf2Async = promisify(pbkdf2);
// Django's own bounds are far lower; this only stops an absurd count from holding a thread for minutes.
const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** Checks a password against a bcrypt or Django PBKDF2 hash; false for a wrong password or a hash it cannot read. */
export async function verifyForeign(hash: string, password: string): Promise<boolean> {
  const kind = hashKind(hash);
  if (kind === 'bcrypt') {
    // bcrypt reads at most 72 bytes; $2y$ (PHP) is the same algorithm as $2b$.
    return bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$')).catch(() => false);
  }
  if (kind === 'django-pbkdf2') {
    const [, iterations, salt, expected] = hash.split('$') as [string, string, string, string];
    const count = Number(iterations);
    if (count < 1 || count > MAX_PBKDF2_ITERATIONS) return false;
    const want = Buffer.from(expected, 'base64');
    const got = await pbkdf2Async(password, salt, count, want.length, 'sha256');
    return timingSafeEqual(got, want);
  }
  return false;
}
