import { createHash, randomBytes } from 'node:crypto';

/** An opaque secret with 256 random bits, URL-safe, with an optional recognisable prefix. */
export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');

/**
 * SHA-256 is enough for secrets with 256 bits of entropy: nothing to guess,
 * so no slow hash is needed, and lookups by hash stay one index probe.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
