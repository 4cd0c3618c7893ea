import type { KeyObject } from 'node:crypto';
import type { JwtAlg } from '../../config-keys.js';
import { AppError } from '../errors.js';
import type { KeyState, Stores } from '../storage.js';
import { type PrivateJwk, type PublicJwk, newKid, secretKeyOf, signer } from './key-material.js';

/** A key of the ring, imported once. */
export interface RingKey {
  kid: string;
  alg: JwtAlg;
  state: KeyState;
  createdAt: string;
  activatedAt: string | null;
  retiresAt: string | null;
  /** The public key (or an HS256 secret) tokens are checked with. */
  verifyKey: KeyObject;
  /** Signs a JWS signing input: the current and next keys only. */
  sign?: (input: string) => string;
  /** Published in the JWKS (asymmetric keys only). */
  publicJwk?: PublicJwk;
  /** The current and next keys' private JWK. */
  privateJwk?: PrivateJwk;
}

export interface RotateOptions {
  /** Rotates only if the current key began to sign before this time (ms): automatic rotation. */
  olderThan?: number;
  /** Runs in the rotation's transaction (its audit event). */
  also?: (stores: Stores) => Promise<void>;
}

/**
 * The keys tokens are signed and checked with. `current()` signs; `find` checks (an unknown kid makes it reload, at
 * most once a second); `published()` is the JWKS; `rotate` moves next → current → retired and makes a new next.
 */
export interface KeyRing {
  /** The algorithm new keys are made with (USHER_JWT_ALG). */
  readonly alg: JwtAlg;
  current(): RingKey;
  find(kid: string, alg?: string): Promise<RingKey | undefined>;
  /** Public JWKs: next, current and retired keys until their retirement ends. Never HS256. */
  published(): PublicJwk[];
  /** The keys as listed to admins: next, current, and retired ones until their retirement ends. */
  list(): RingKey[];
  /** True when this call rotated (false: another instance did first, or the key is not old enough). */
  rotate(options?: RotateOptions): Promise<boolean>;
  reload(): Promise<void>;
  /** The current key as a private JWK with kid, alg and use 'sig' (the OIDC provider signs ID tokens with it). */
  currentPrivateJwk(): PrivateJwk;
  /** Called after the ring reloads with a different set of keys. */
  onChange(listener: () => void): void;
  /** Deletes retired keys whose retirement has ended. */
  sweep(): Promise<void>;
}

export const hs256Refusal = (): AppError =>
  new AppError(
    'UNPROCESSABLE_ENTITY',
    'Tokens are signed with HS256: the key is USHER_JWT_SECRET and is changed there, not rotated; set USHER_JWT_ALG to an asymmetric algorithm to use rotating keys',
  );

/** A verification-only HS256 key from USHER_JWT_SECRET (as it was before asymmetric keys). */
export function secretKey(secret: string, kid = newKid()): RingKey {
  const verifyKey = secretKeyOf(Buffer.from(secret));
  return {
    kid,
    alg: 'HS256',
    state: 'current',
    createdAt: new Date(0).toISOString(),
    activatedAt: null,
    retiresAt: null,
    verifyKey,
    sign: signer('HS256', verifyKey),
  };
}

/**
 * USHER_JWT_SECRET with HS256: one key, shared by every instance configured with it. Its kid is random per process;
 * any kid is checked against the one secret (the signature decides), so instances need not agree on a kid. Nothing is
 * published and nothing rotates.
 */
export function keyRingFromSecret(secret: string): KeyRing {
  const key = secretKey(secret);
  return {
    alg: 'HS256',
    current: () => key,
    find: async (_kid, alg) => (alg === undefined || alg === 'HS256' ? key : undefined),
    published: () => [],
    list: () => [],
    rotate: async () => {
      throw hs256Refusal();
    },
    reload: async () => {},
    currentPrivateJwk: () => {
      throw hs256Refusal();
    },
    onChange: () => {},
    sweep: async () => {},
  };
}
