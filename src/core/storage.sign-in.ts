/** The storage interfaces of the sign-in methods (re-exported by storage.ts). */
import type { LinkedIdentity } from './storage.upstream.js';

export interface ChallengeRow {
  id: string;
  /** What the challenge is for (`passkey_register`, `passkey_login`, `upstream`, …): taken only for that. */
  purpose: string;
  userId: string | null;
  /** JSON text, opaque to storage. */
  data: string;
  expiresAt: string;
}

/** Single-use states of two-step sign-ins, shared by every instance. */
export interface ChallengeStore {
  put(row: ChallengeRow): Promise<void>;
  /** Deletes and answers the challenge if it exists for `purpose` and has not expired at `at`; once only. */
  take(id: string, purpose: string, at: string): Promise<Pick<ChallengeRow, 'userId' | 'data'> | undefined>;
  /** Drops every challenge expired before `at`. */
  sweep(at: string): Promise<number>;
}

/** A stored passkey (a WebAuthn credential): its public key and signature counter, and what its owner sees. */
export interface PasskeyRecord {
  id: string;
  userId: string;
  /** base64url, as WebAuthn names the credential. */
  credentialId: string;
  /** base64url of the COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A user's passkeys (WebAuthn credentials). */
export interface PasskeyStore {
  countOf(userId: string): Promise<number>;
  /** The user's passkeys, oldest first. */
  listOf(userId: string): Promise<PasskeyRecord[]>;
  /** One of the user's passkeys (undefined when it is not theirs). */
  ownedBy(userId: string, id: string): Promise<PasskeyRecord | undefined>;
  byCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
  /** A credential stored already (by anyone) is DUPLICATE_RESOURCE. */
  insert(passkey: PasskeyRecord): Promise<void>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  remove(userId: string, id: string): Promise<boolean>;
  /**
   * A sign-in's use: the new counter and backup state, only if the counter is still the one read (`from`), so two
   * sign-ins replaying one signature cannot both pass. False when it changed meanwhile.
   */
  recordUse(id: string, use: { from: number; to: number; backedUp: boolean; at: string }): Promise<boolean>;
}

/** A user's linked accounts at upstream identity providers (one per provider and user). */
export interface IdentityStore {
  countOf(userId: string): Promise<number>;
  /** How many identities are linked at the provider. */
  countAt(providerId: string): Promise<number>;
  /** How many live users the provider's identity is the only way to sign in for (no password, passkey or other identity). */
  onlyWayAt(providerId: string): Promise<number>;
  /** Who the provider's subject is linked to. */
  find(providerId: string, subject: string): Promise<LinkedIdentity | undefined>;
  /** DUPLICATE_RESOURCE when the subject is linked already (to anyone). */
  insert(identity: Omit<LinkedIdentity, 'providerType' | 'providerName'>): Promise<void>;
  /** The user's identities, oldest first, with their providers' types and names. */
  listOf(userId: string): Promise<LinkedIdentity[]>;
  /** Unlinks the user's identity at the provider; answers what was removed (none: undefined). */
  remove(userId: string, providerId: string): Promise<LinkedIdentity | undefined>;
}
