import { ConfigError, type Env, optional } from './config-error.js';
import { parseSecretsKey } from './core/security/secret-box.js';

export const JWT_ALGS = ['ES256', 'EdDSA', 'RS256', 'HS256'] as const;
export type JwtAlg = (typeof JWT_ALGS)[number];
/** The algorithms of keys Usher makes and publishes (HS256's key is USHER_JWT_SECRET). */
export type AsymmetricAlg = Exclude<JwtAlg, 'HS256'>;

/** How tokens are signed, by whom they say they were issued, and how their keys are kept. */
export interface KeySettings {
  /**
   * USHER_JWT_ALG: ES256 by default; HS256 (with USHER_JWT_SECRET) when the secret is set and USHER_JWT_ALG is not,
   * as before asymmetric keys.
   */
  readonly jwtAlg: JwtAlg;
  readonly jwtSecret: string | undefined;
  /** The tokens' `iss`, and where the JWKS is found: USHER_ISSUER, else USHER_PUBLIC_URL, else http://localhost:PORT. */
  readonly issuer: string;
  /** USHER_SECRETS_KEY: the 32-byte key secrets at rest are sealed with (core/security/secret-box.ts). */
  readonly secretsKey: Uint8Array | undefined;
  /** USHER_KEY_ROTATION_DAYS: rotate the current signing key once it is this old; undefined: only by hand. */
  readonly keyRotationDays: number | undefined;
}

function jwtSecret(env: Env): string | undefined {
  const secret = optional(env, 'USHER_JWT_SECRET');
  if (secret !== undefined && Buffer.byteLength(secret) < 32) {
    throw new ConfigError('USHER_JWT_SECRET', 'must be at least 32 bytes long');
  }
  return secret;
}

function jwtAlg(env: Env, secret: string | undefined): JwtAlg {
  const raw = optional(env, 'USHER_JWT_ALG');
  if (raw === undefined) return secret ? 'HS256' : 'ES256';
  const alg = JWT_ALGS.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!alg) throw new ConfigError('USHER_JWT_ALG', `must be one of ${JWT_ALGS.join(', ')}, got "${raw}"`);
  if (alg === 'HS256' && !secret)
    throw new ConfigError(
      'USHER_JWT_ALG',
      'is HS256 but USHER_JWT_SECRET is not set: set the secret, or choose ES256 (the default), EdDSA or RS256',
    );
  return alg;
}

function issuer(env: Env, publicUrl: string | undefined, port: number): string {
  const raw = optional(env, 'USHER_ISSUER');
  if (raw === undefined) return publicUrl ?? `http://localhost:${port}`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    if (url.search || url.hash) throw new Error('query');
  } catch {
    throw new ConfigError('USHER_ISSUER', `must be an http(s) URL without query or fragment, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function secretsKey(env: Env): Uint8Array | undefined {
  const raw = optional(env, 'USHER_SECRETS_KEY');
  if (raw === undefined) return undefined;
  const key = parseSecretsKey(raw);
  if (!key)
    throw new ConfigError('USHER_SECRETS_KEY', 'must be 32 bytes in base64, as `openssl rand -base64 32` prints');
  return key;
}

function rotationDays(env: Env): number | undefined {
  const raw = optional(env, 'USHER_KEY_ROTATION_DAYS');
  if (raw === undefined) return undefined;
  const days = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(days >= 1 && days <= 3650))
    throw new ConfigError('USHER_KEY_ROTATION_DAYS', `must be a whole number of days from 1 to 3650, got "${raw}"`);
  return days;
}

/** The key settings, from the environment; `publicUrl` and `port` are the already-checked USHER_PUBLIC_URL and PORT. */
export function keySettings(env: Env, publicUrl: string | undefined, port: number): KeySettings {
  const secret = jwtSecret(env);
  return {
    jwtAlg: jwtAlg(env, secret),
    jwtSecret: secret,
    issuer: issuer(env, publicUrl, port),
    secretsKey: secretsKey(env),
    keyRotationDays: rotationDays(env),
  };
}
