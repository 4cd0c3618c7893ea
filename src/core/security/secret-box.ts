import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (signing keys' private halves, TOTP secrets, later upstream
 * client secrets), sealed with AES-256-GCM under USHER_SECRETS_KEY:
 * `sb1:` + base64url(12-byte IV ‖ ciphertext ‖ 16-byte tag). The prefix names
 * the format's version, so a plain value written before the key was set still
 * reads (`open` gives it back as is) and is sealed when next written or at
 * start. Each value may be bound to a context (the column and row it lives
 * in, as additional authenticated data), so a sealed value copied to another
 * row does not open there.
 *
 * Without a key the box is open: `seal` stores values as they are, and a
 * sealed value cannot be read (`open` throws).
 */
export interface SecretBox {
  /** True when USHER_SECRETS_KEY is set. */
  readonly sealing: boolean;
  seal(plain: string, context?: string): string;
  /** The plain value of a sealed one (a plain legacy value as is); throws SecretBoxError when it does not open. */
  open(stored: string, context?: string): string;
  /** True when a stored value is sealed (by this format, whatever the key). */
  isSealed(stored: string): boolean;
}

export const SEALED_PREFIX = 'sb1:';

/** The context a user's TOTP secret (on or pending: one moves to the other) is sealed in. */
export const totpContext = (userId: string): string => `totp:${userId}`;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** USHER_SECRETS_KEY as it is given: 32 bytes in base64 (`openssl rand -base64 32`); undefined when it is not. */
export function parseSecretsKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]{43}={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

export function createSecretBox(key: Uint8Array | undefined): SecretBox {
  const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX);
  if (!key)
    return {
      sealing: false,
      seal: (plain) => plain,
      open(stored) {
        if (isSealed(stored)) throw new SecretBoxError('a secret is encrypted but USHER_SECRETS_KEY is not set');
        return stored;
      },
      isSealed,
    };
  return {
    sealing: true,
    seal(plain, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(stored, context = '') {
      if (!isSealed(stored)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
      if (raw.length < 28) throw new SecretBoxError('a sealed secret is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(raw.subarray(raw.length - 16));
        return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('a secret does not open with USHER_SECRETS_KEY (a different key sealed it)');
      }
    },
    isSealed,
  };
}
