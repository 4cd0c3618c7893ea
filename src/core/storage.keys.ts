import type { ApiKey, Role, Status } from './types.js';

/**
 * The storage interface of the keys: API keys, and the keys access tokens are
 * signed with (re-exported by storage.ts).
 */

/** A key by its hash, with what authenticating one request needs of its creator. */
export interface ApiKeyState {
  id: string;
  creatorId: string;
  keyRole: Role;
  creatorRole: Role;
  creatorStatus: Status;
  creatorDeleted: boolean;
  expiresAt: string | null;
  revoked: boolean;
  lastUsedAt: string | null;
}

export interface ApiKeyStore {
  insert(key: ApiKey, keyHash: string): Promise<void>;
  list(): Promise<ApiKey[]>;
  find(id: string): Promise<ApiKey | undefined>;
  revoke(id: string, at: string): Promise<void>;
  touch(id: string, at: string): Promise<void>;
  /** Compiled, read at once: every request with X-API-Key may need it. */
  stateByHash(keyHash: string): Promise<ApiKeyState | undefined>;
}

export type KeyState = 'next' | 'current' | 'retired';

/**
 * A signing key as stored. `privateKey` (the private JWK's JSON) and `secret`
 * (an HS256 key's, base64url) are as written: sealed by the secret box when
 * USHER_SECRETS_KEY is set, plain otherwise (core/auth/key-ring.ts opens them).
 */
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  state: KeyState;
  publicJwk: string | null;
  privateKey: string | null;
  secret: string;
  createdAt: string;
  retiresAt: string | null;
  /** When it began to sign (null while next, and for HS256 keys). */
  activatedAt: string | null;
}

export interface SigningKeyStore {
  /** Every key, oldest first. */
  all(): Promise<SigningKeyRecord[]>;
  /** False when a key in that state (next or current) already exists: another instance made it. */
  insert(key: SigningKeyRecord): Promise<boolean>;
  /**
   * Moves one key from a state to another (stamped with when it retires, or began to sign); false when it is no longer in `from`
   * (another instance moved it first). In a transaction, the row stays locked until it ends.
   */
  move(
    kid: string,
    from: KeyState,
    to: KeyState,
    stamp: { retiresAt?: string; activatedAt?: string },
  ): Promise<boolean>;
  /** Deletes a next key (which has signed nothing): false when it is not the next key any more. */
  dropNext(kid: string): Promise<boolean>;
  /** Rewrites a key's stored secrets (sealing them), only if they are still `was`. */
  reseal(
    kid: string,
    was: { privateKey: string | null; secret: string },
    now: { privateKey: string | null; secret: string },
  ): Promise<void>;
  /** Retired keys whose retirement ended before `before`. */
  deleteRetired(before: string): Promise<number>;
}

/** Small named values (the secret box's check value). */
export interface SettingsStore {
  get(name: string): Promise<string | undefined>;
  /** Stores the value unless the name has one; answers the value now stored. */
  setIfAbsent(name: string, value: string): Promise<string>;
}
