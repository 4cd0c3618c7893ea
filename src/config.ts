import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type BrandSettings, brandOf } from './config.identity.js';
import { ConfigError, type Env, optional } from './config-error.js';
import { type KeySettings, keySettings } from './config-keys.js';
import { type OutboundSettings, outboundOf } from './config.outbound.js';
import { type TelemetrySettings, telemetryOf } from './config.telemetry.js';
import { ROOT } from './paths.js';
import { type WebAuthnSettings, webAuthnSettings } from './config.webauthn.js';

export { ConfigError } from './config-error.js';

/**
 * Every setting Usher reads, parsed and checked once at start. A bad value
 * throws ConfigError naming the variable, and the server does not start.
 */
export interface Config extends KeySettings {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** SQLite only: 'normal' survives any crash of the process; 'full' also a power loss, at an fsync per commit. */
  readonly sqliteSynchronous: 'normal' | 'full';
  readonly redisUrl: string | undefined;
  readonly redisPrefix: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly publicUrl: string | undefined;
  /** The hosted sign-in pages' brand (config.identity.ts). */
  readonly brand: BrandSettings;
  /** Passkeys' relying party: USHER_WEBAUTHN_RP_ID, USHER_WEBAUTHN_ORIGINS (config.webauthn.ts). */
  readonly webauthn: WebAuthnSettings;
  readonly trustProxy: boolean | number | string;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  /** Absolute session lifetime, seconds: refreshing never extends a session past it. */
  readonly sessionMaxAge: number;
  /** Live sessions a user may hold; a login past it ends the user's oldest (audited `session.revoked`). */
  readonly maxSessionsPerUser: number;
  /** Seconds a rotated refresh token may come back and get the same successor (two tabs at once); 0: never. */
  readonly refreshReuseGrace: number;
  /**
   * Seconds after a password login within which the user may change their own password or email without giving it
   * again.
   */
  readonly reauthWindow: number;
  readonly passwordHashConcurrency: number;
  /** Mail: SMTP_URL (unset: mails go to the log), the From address, and the templates folder. */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string; readonly templates: string };
  /** Seconds a one-time code (email verification, password reset) lives. */
  readonly codeTtl: number;
  /** Sign-in with a mailed code and link (USHER_EMAIL_SIGN_IN=on). */
  readonly emailSignIn: boolean;
  /** Users who have not verified their email cannot log in (403 EMAIL_NOT_VERIFIED). */
  readonly requireVerifiedEmail: boolean;
  /** Days audit events are kept. */
  readonly auditRetentionDays: number;
  /** The zxcvbn score (0-4) a new password must reach; 0 turns the check off. */
  readonly passwordMinScore: number;
  /** Seconds a password check may wait for a hashing slot before the request is refused with 503. */
  readonly hashQueueTimeout: number;
  /** Seconds one check of an imported (foreign) hash may run before it is abandoned as a failed login. */
  readonly hashCheckTimeout: number;
  readonly admin: { readonly username: string; readonly email: string; readonly password: string } | undefined;
  /** Per-account protection against password guessing (core/security/lockout.ts); apart from the rate limits. */
  readonly lockout: LockoutSettings;
  /** The guard on outgoing requests (upstream identity providers): config.outbound.ts. */
  readonly outbound: OutboundSettings;
  /** Metrics and traces: config.telemetry.ts. */
  readonly telemetry: TelemetrySettings;
  readonly rateLimit: {
    readonly enabled: boolean;
    readonly anonPerMin: number;
    readonly authPerMin: number;
    readonly burstPerSec: number;
    readonly loginPerMin: number;
  };
}

/** Per-account protection against password guessing (core/security/lockout.ts applies it). */
export interface LockoutSettings {
  enabled: boolean;
  /** Failed passwords within `windowSeconds` that lock the account. */
  threshold: number;
  windowSeconds: number;
  /** The first lock's length; each further lock within a day doubles it, up to `maxLockSeconds`. */
  lockSeconds: number;
  maxLockSeconds: number;
  /** Attempts per lock left to an address that has logged in to the account before. */
  knownAllowance: number;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase() as T;
  if (!allowed.includes(value)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return value;
}

function databaseUrl(env: Env): string {
  const url = optional(env, 'DATABASE_URL') ?? 'sqlite:./data/usher.db';
  if (/^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url)) return url;
  throw new ConfigError('DATABASE_URL', `must start with sqlite: or postgres://, got "${url}"`);
}

function redisUrl(env: Env): string | undefined {
  const url = optional(env, 'REDIS_URL');
  if (url !== undefined && !/^rediss?:\/\/.+/.test(url)) {
    throw new ConfigError('REDIS_URL', `must start with redis:// or rediss://, got "${url}"`);
  }
  return url;
}

function redisPrefix(env: Env): string {
  const prefix = optional(env, 'USHER_REDIS_PREFIX') ?? 'usher:';
  if (!/^[A-Za-z0-9:_.{}-]{1,64}$/.test(prefix))
    throw new ConfigError('USHER_REDIS_PREFIX', `must be 1-64 of A-Z a-z 0-9 : _ . - { }, got "${prefix}"`);
  return prefix;
}

function publicUrl(env: Env): string | undefined {
  const url = optional(env, 'USHER_PUBLIC_URL');
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('USHER_PUBLIC_URL', `must be an http(s) URL, got "${url}"`);
  }
  return url.replace(/\/+$/, '');
}

function trustProxy(env: Env): boolean | number | string {
  const raw = optional(env, 'USHER_TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  // A comma-separated list of addresses or CIDR ranges, passed to Fastify as is.
  if (/^[0-9a-fA-F.:/,\s]+$/.test(raw)) return raw;
  throw new ConfigError(
    'USHER_TRUST_PROXY',
    `must be true, false, a hop count or a list of addresses/CIDRs, got "${raw}"`,
  );
}

function smtpUrl(env: Env): string | undefined {
  const url = optional(env, 'SMTP_URL');
  if (url !== undefined && !/^smtps?:\/\/.+/.test(url))
    throw new ConfigError(
      'SMTP_URL',
      `must start with smtp:// or smtps://, got "${url.replace(/\/\/[^@]*@/, '//…@')}"`,
    );
  return url;
}

function admin(env: Env): Config['admin'] {
  const names = ['USHER_ADMIN_USERNAME', 'USHER_ADMIN_EMAIL', 'USHER_ADMIN_PASSWORD'] as const;
  const [username, email, password] = names.map((n) => optional(env, n));
  const set = [username, email, password].filter((v) => v !== undefined).length;
  if (set === 0) return undefined;
  if (set !== 3) {
    const missing = names.filter((n) => optional(env, n) === undefined);
    throw new ConfigError(missing[0]!, 'must be set together with the other USHER_ADMIN_* variables');
  }
  return { username: username!, email: email!, password: password! };
}

export function loadConfig(env: Env = process.env): Config {
  const rateLimitSwitch = oneOf(env, 'USHER_RATE_LIMIT', 'on', ['on', 'off']);
  const port = int(env, 'PORT', 3000, 0, 65535);
  const url = publicUrl(env);
  const brand = brandOf(env, (v, p) => new ConfigError(v, p));
  const config: Config = {
    port,
    host: optional(env, 'HOST') ?? '0.0.0.0',
    databaseUrl: databaseUrl(env),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    sqliteSynchronous: oneOf(env, 'USHER_SQLITE_SYNCHRONOUS', 'normal', ['normal', 'full']),
    redisUrl: redisUrl(env),
    redisPrefix: redisPrefix(env),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    publicUrl: url,
    brand,
    webauthn: webAuthnSettings(env, url, port, brand.name),
    trustProxy: trustProxy(env),
    accessTokenTtl: int(env, 'USHER_ACCESS_TOKEN_TTL', 3600, 1, 86400 * 7),
    refreshTokenTtl: int(env, 'USHER_REFRESH_TOKEN_TTL', 30 * 86400, 60, 365 * 86400),
    sessionMaxAge: int(env, 'USHER_SESSION_MAX_AGE', 90 * 86400, 60, 3650 * 86400),
    maxSessionsPerUser: int(env, 'USHER_MAX_SESSIONS_PER_USER', 100, 1, 100_000),
    refreshReuseGrace: int(env, 'USHER_REFRESH_REUSE_GRACE', 10, 0, 60),
    reauthWindow: int(env, 'USHER_REAUTH_WINDOW', 600, 0, 86400 * 30),
    passwordHashConcurrency: int(env, 'USHER_PASSWORD_HASH_CONCURRENCY', availableParallelism(), 1, 64),
    hashQueueTimeout: int(env, 'USHER_HASH_QUEUE_TIMEOUT', 5, 1, 600),
    hashCheckTimeout: int(env, 'USHER_HASH_CHECK_TIMEOUT', 10, 1, 600),
    passwordMinScore: int(env, 'USHER_PASSWORD_MIN_SCORE', 3, 0, 4),
    auditRetentionDays: int(env, 'USHER_AUDIT_RETENTION_DAYS', 90, 1, 36500),
    mail: {
      smtpUrl: smtpUrl(env),
      from: optional(env, 'USHER_MAIL_FROM') ?? 'Usher <no-reply@localhost>',
      templates: optional(env, 'USHER_MAIL_TEMPLATES') ?? join(ROOT, 'templates', 'mail'),
    },
    codeTtl: int(env, 'USHER_CODE_TTL', 900, 60, 86400),
    emailSignIn: oneOf(env, 'USHER_EMAIL_SIGN_IN', 'off', ['on', 'off']) === 'on',
    requireVerifiedEmail: oneOf(env, 'USHER_REQUIRE_VERIFIED_EMAIL', 'false', ['true', 'false']) === 'true',
    admin: admin(env),
    ...keySettings(env, url, port),
    lockout: {
      enabled: oneOf(env, 'USHER_LOCKOUT', 'on', ['on', 'off']) === 'on',
      threshold: int(env, 'USHER_LOCKOUT_THRESHOLD', 10, 1, 1000),
      windowSeconds: int(env, 'USHER_LOCKOUT_WINDOW', 900, 1, 86400),
      lockSeconds: int(env, 'USHER_LOCKOUT_DURATION', 300, 1, 86400),
      maxLockSeconds: int(env, 'USHER_LOCKOUT_MAX_DURATION', 3600, 1, 86400),
      knownAllowance: int(env, 'USHER_LOCKOUT_KNOWN_ALLOWANCE', 3, 0, 100),
    },
    outbound: outboundOf(env),
    telemetry: telemetryOf(env),
    rateLimit: {
      enabled: rateLimitSwitch === 'on',
      anonPerMin: int(env, 'USHER_RATE_LIMIT_ANON_PER_MIN', 20, 1, 1_000_000),
      authPerMin: int(env, 'USHER_RATE_LIMIT_AUTH_PER_MIN', 100, 1, 1_000_000),
      burstPerSec: int(env, 'USHER_RATE_LIMIT_BURST_PER_SEC', 10, 1, 1_000_000),
      loginPerMin: int(env, 'USHER_RATE_LIMIT_LOGIN_PER_MIN', 10, 1, 1_000_000),
    },
  };
  return Object.freeze(config);
}

/** For command-line entry points: the configuration, or exit 1 with the message naming the bad variable. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
