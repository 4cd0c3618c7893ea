import type { AuditStore, CodeStore, IdempotencyStore, MailStore, MfaStore } from './storage.records.js';
import type { RefreshRotation, SessionState } from './storage.refresh.js';
import type { ApiKey, Picture, Role, Status, User } from './types.js';
import type { UserFields } from './users/user.rules.js';

export type * from './storage.records.js';
export type * from './storage.refresh.js';

/**
 * What the core needs from storage, in the core's own terms. The services
 * hold the rules, the transactions and the events; everything about tables,
 * rows, SQL and dialects lives behind these interfaces (src/storage/), which
 * also turn a unique-index violation into DUPLICATE_RESOURCE naming the field.
 */

/** A new user, as the service decided it: the store builds the row (keys, search text). */
export type NewUserRecord = Pick<
  User,
  | 'id'
  | 'username'
  | 'email'
  | 'role'
  | 'status'
  | 'firstName'
  | 'lastName'
  | 'phoneNumber'
  | 'dateOfBirth'
  | 'bio'
  | 'preferences'
  | 'createdAt'
  | 'emailVerified'
> & {
  passwordHash: string | null;
  /** Only an import brings a last login with it. */
  lastLoginAt?: string | null;
  /** The API key that made the user, linked so revoking the key says what it made. */
  createdByKeyId?: string | null;
};

/** What an update writes; absent fields are left alone, null clears. */
export interface UserRecordChanges extends Omit<UserFields, 'password'> {
  passwordHash?: string;
  emailVerified?: boolean;
  /** A new picture, or null to remove it. */
  picture?: Picture | null;
  updatedAt: string;
}

export interface Credentials {
  user: User;
  passwordHash: string | null;
}

export const SORT_FIELDS = ['created_at', 'username', 'email'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** The filters a list (and its total) depends on. 'deleted' lists soft-deleted users instead of live ones. */
export interface UserFilter {
  status?: Status | 'deleted';
  role?: Role;
  search?: string;
}

/** Where a keyset page starts: after the row with this sort value and id. */
export interface Keyset {
  value: string;
  id: string;
}

export interface PageQuery extends UserFilter {
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  after?: Keyset;
}

export interface UserStore {
  /** A live user by id: compiled, read at once; most requests need it. */
  byId(id: string): Promise<User | undefined>;
  /** A soft-deleted user by id, locked for the transaction on PostgreSQL. */
  deletedById(id: string): Promise<User | undefined>;
  /**
   * Brings a soft-deleted user back, active; the row the write returned. A username or email taken meanwhile is
   * DUPLICATE_RESOURCE.
   */
  restore(current: User, at: string): Promise<User>;
  /** The same, locked for the rest of the transaction on PostgreSQL (SQLite serialises writers anyway). */
  byIdForUpdate(id: string): Promise<User | undefined>;
  credentials(login: { username?: string; email?: string }): Promise<Credentials | undefined>;
  passwordHash(id: string): Promise<string | null | undefined>;
  /** Which of username and email a live user other than `exceptId` already has. */
  taken(keys: { username?: string; email?: string }, exceptId?: string): Promise<'username' | 'email' | undefined>;
  insert(record: NewUserRecord, picture?: Picture): Promise<User>;
  /** Writes `changes` over `current` (read in this transaction) and answers with the row the write returned. */
  update(current: User, changes: UserRecordChanges): Promise<User>;
  softDelete(id: string, at: string): Promise<boolean>;
  recordLogin(id: string, at: string, rehash?: string): Promise<void>;
  /** Replaces a password hash made with old parameters by one made with the current ones (same password). */
  rehash(id: string, passwordHash: string): Promise<void>;
  /** Live, active admins other than `exceptId`; on PostgreSQL their rows stay locked until the transaction ends. */
  otherActiveAdmins(exceptId: string): Promise<number>;
  count(filter: UserFilter): Promise<number>;
  /** One page, one row more than `limit` when another page follows; `total` steers the plan. */
  page(query: PageQuery, total: number): Promise<Array<{ user: User; sortValue: string }>>;
  picture(pictureId: string): Promise<Picture | undefined>;
  /** Many new users in multi-row inserts (an import); a username or email already taken fails the call. */
  insertMany(records: readonly NewUserRecord[]): Promise<void>;
  /** Live users having any of these usernames or emails (compared case-insensitively). */
  withKeys(
    usernames: readonly string[],
    emails: readonly string[],
  ): Promise<Array<{ id: string; username: string; email: string }>>;
  /** Up to `limit` users after `afterId` in id order, with their hash and deletion time: an export walks them. */
  exportPage(afterId: string | null, limit: number, includeDeleted: boolean): Promise<ExportedUser[]>;
  /** The users an API key created (deleted ones too): the first `limit` ids and how many in all. */
  createdByKey(keyId: string, limit: number): Promise<{ ids: string[]; count: number }>;
}

/** A user as an export writes it. */
export interface ExportedUser {
  user: User;
  passwordHash: string | null;
  deletedAt: string | null;
}

/** A refresh token as reuse detection and the grace window see it. */
export interface RefreshTokenRecord {
  sessionId: string;
  used: boolean;
  usedAt: string | null;
  expiresAt: string;
  successor: string | null;
}

/** A session as its owner sees it in a list. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  /** The last login or refresh. */
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionStore {
  /** Compiled, read at once: every authenticated request may need it. */
  state(sessionId: string): Promise<SessionState | undefined>;
  insertSession(s: {
    id: string;
    userId: string;
    at: string;
    expiresAt: string;
    ip: string | null;
    userAgent: string | null;
  }): Promise<void>;
  /** A page of the user's live sessions, newest first (by creation, then id), after the `after` session when given. */
  liveOf(
    userId: string,
    at: string,
    page: { limit: number; after?: { createdAt: string; id: string } },
  ): Promise<SessionInfo[]>;
  /** Ends the user's live sessions but `keepId` and the `keep` newest others; answers the ended ones' ids. */
  endOldestOf(userId: string, keepId: string, keep: number, at: string, reason: string): Promise<string[]>;
  /** Ends one live session of the user; false when the user has no such live session. */
  revokeOf(userId: string, sessionId: string, at: string, reason: string): Promise<boolean>;
  /** Stores a refresh token, its end capped at its session's end (see `RefreshRotation`). */
  insertRefreshToken(t: { hash: string; sessionId: string; at: string; expiresAt: string }): Promise<void>;
  /** Removes a refresh token that was never given out: the next token of a rotation the core refused. */
  forgetRefreshToken(hash: string): Promise<void>;
  /**
   * A refresh token's session, whether and when it was used (reuse
   * detection), and the successor sealed beside it when it was consumed
   * (`Rotation.next.sealed`: the reuse grace window).
   */
  refreshToken(hash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * The reuse grace window's secret of `epoch`: the stored one, or `candidate`, stored now (one per epoch for every
   * instance).
   */
  graceKey(epoch: number, candidate: string, at: string): Promise<string>;
  /** The stored secret of `epoch`, if it is still kept. */
  findGraceKey(epoch: number): Promise<string | undefined>;
  /** Forgets the grace window's secrets made before `before`: what they sealed can no longer be opened. */
  dropGraceKeys(before: string): Promise<void>;
  /** Ends a session (keeping the first end's time and reason if it had ended) and answers its user. */
  revoke(sessionId: string, at: string, reason: string): Promise<string | undefined>;
  /** Ends every live session of the user, but `exceptSessionId`. */
  revokeAllOf(userId: string, at: string, reason: string, exceptSessionId?: string): Promise<void>;
  deleteExpired(before: string): Promise<void>;
}

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

export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  audit: AuditStore;
  mail: MailStore;
  codes: CodeStore;
  mfa: MfaStore;
}

/** Every store, and transactions over them: `work` gets stores bound to the transaction. */
export interface Storage extends Stores {
  /** A refresh's rotation: outside any transaction only. */
  refreshes: RefreshRotation;
  signingKeys: SigningKeyStore;
  idempotency: IdempotencyStore;
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /**
   * Drops what this instance remembers of a user (`users.byId` outside a
   * transaction is served from a short-lived cache): the event bus calls it
   * when another instance changed the user. This instance's own writes drop
   * their users by themselves.
   */
  forgetUser(id: string): void;
}
