import { createHash, randomBytes } from 'node:crypto';

// Random bytes are drawn 4 KB at a time and each byte handed out once: asking OpenSSL for
// 32 bytes per secret cost more than the rest of making a refresh token.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let taken = 0;
function random32(): Buffer {
  if (taken + 32 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    taken = 0;
  }
  taken += 32;
  return pool.subarray(taken - 32, taken);
}

/** An opaque secret with 256 random bits, URL-safe, with an optional recognisable prefix. */
export const newSecret = (prefix = ''): string => prefix + random32().toString('base64url');

/**
 * SHA-256 is enough for secrets with 256 bits of entropy: nothing to guess,
 * so no slow hash is needed, and lookups by hash stay one index probe.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
