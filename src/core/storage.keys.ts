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

export interface SigningKeyRecord {
  kid: string;
  secret: Uint8Array;
}

export interface SigningKeyStore {
  /** HS256 keys, oldest first. */
  all(): Promise<SigningKeyRecord[]>;
  insert(key: SigningKeyRecord, at: string): Promise<void>;
}
