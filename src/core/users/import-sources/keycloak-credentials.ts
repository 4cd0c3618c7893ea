import { objectOr, parsedObject } from './shared.js';

/**
 * Keycloak's stored credentials (a user's `credentials` in a realm export)
 * made what Usher stores: a password's `secretData` ({value, salt}, base64)
 * and `credentialData` ({hashIterations, algorithm, additionalParameters})
 * as a PHC-style hash the login reads back (foreign-hashes.ts), and an OTP
 * credential's secret as the base32 TOTP key. Keycloak keeps an OTP secret
 * as text, the key being its UTF-8 bytes (or, with `secretEncoding: BASE32`,
 * the base32 text itself).
 */

const DIGESTS = { 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512', pbkdf2: 'sha1' } as const;
const ARGON2_TYPES = { id: 'argon2id', i: 'argon2i' } as const;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Keycloak's additionalParameters: every value a list of strings. */
const param = (p: Record<string, unknown> | undefined, name: string): string | undefined => {
  const v = p?.[name];
  return Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;
};

const noPad = (b64: string) => b64.replace(/=+$/, '');
const whole = (text: string | undefined) => (text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined);

/** A password credential as a hash string, or why it cannot be one. */
export function keycloakPasswordHash(credential: Record<string, unknown>): { hash: string } | { error: string } {
  const secret = parsedObject(credential.secretData);
  const data = parsedObject(credential.credentialData);
  if (secret === 'bad' || data === 'bad' || !secret || !data)
    return { error: 'the password credential has no readable secretData and credentialData' };
  const algorithm = typeof data.algorithm === 'string' ? data.algorithm : 'pbkdf2-sha256';
  const value = secret.value;
  const salt = secret.salt;
  if (typeof value !== 'string' || !B64.test(value) || typeof salt !== 'string' || !B64.test(salt))
    return { error: 'the password credential has no base64 value and salt' };
  const iterations = typeof data.hashIterations === 'number' ? data.hashIterations : Number.NaN;
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    return { error: 'the password credential has no hashIterations' };
  if (algorithm in DIGESTS) {
    const digest = DIGESTS[algorithm as keyof typeof DIGESTS];
    // Keycloak writes standard base64, as the hash string keeps it.
    return { hash: `$pbkdf2-${digest}$i=${iterations}$${salt}$${value}` };
  }
  if (algorithm === 'argon2') {
    const p = objectOr(data.additionalParameters);
    const type = param(p, 'type') ?? 'id';
    const version = param(p, 'version') ?? '1.3';
    const memory = whole(param(p, 'memory'));
    const parallelism = whole(param(p, 'parallelism') ?? '1');
    if (!(type in ARGON2_TYPES)) return { error: `argon2 type ${type} is not supported (id and i are)` };
    if (version !== '1.3' && version !== '1.0') return { error: `argon2 version ${version} is not supported` };
    if (memory === undefined || parallelism === undefined)
      return { error: 'the argon2 credential has no memory or parallelism' };
    const v = version === '1.3' ? 19 : 16;
    const kind = ARGON2_TYPES[type as keyof typeof ARGON2_TYPES];
    return {
      hash: `$${kind}$v=${v}$m=${memory},t=${iterations},p=${parallelism}$${noPad(salt)}$${noPad(value)}`,
    };
  }
  return { error: `Keycloak password hashes of algorithm ${algorithm} are not supported` };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * An OTP credential as the base32 key of the user's TOTP, or why Usher cannot take it: Usher's TOTP is RFC 6238's
 * default (HMAC-SHA1, 6 digits, 30 s steps), which is Keycloak's default too.
 */
export function keycloakTotp(credential: Record<string, unknown>): { secret: string } | { error: string } {
  const secret = parsedObject(credential.secretData);
  const data = parsedObject(credential.credentialData);
  if (secret === 'bad' || data === 'bad' || !secret || typeof secret.value !== 'string' || secret.value === '')
    return { error: 'the OTP credential has no readable secretData' };
  const d = data ?? {};
  const subType = d.subType ?? 'totp';
  if (subType !== 'totp') return { error: `OTP of type ${String(subType)} is not supported (Usher takes TOTP)` };
  const algorithm = d.algorithm ?? 'HmacSHA1';
  const digits = d.digits ?? 6;
  const period = d.period ?? 30;
  if (algorithm !== 'HmacSHA1' || digits !== 6 || period !== 30)
    return {
      error: `TOTP with ${String(algorithm)}, ${String(digits)} digits, ${String(period)} s is not supported (Usher's TOTP is HmacSHA1, 6 digits, 30 s)`,
    };
  if (typeof d.secretEncoding === 'string' && d.secretEncoding.toUpperCase() === 'BASE32') {
    const key = secret.value.toUpperCase().replace(/[\s=]/g, '');
    return /^[A-Z2-7]+$/.test(key) ? { secret: key } : { error: 'the OTP secret is not base32' };
  }
  return { secret: base32(Buffer.from(secret.value, 'utf8')) };
}
