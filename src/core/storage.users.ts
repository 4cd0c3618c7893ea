import type { Picture, Role, Status, User } from './types.js';
import type { UserFields } from './users/user.rules.js';

/** The storage interface of the users table and its pictures (re-exported by storage.ts). */

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
  externalId?: string | null;
  customData?: Record<string, unknown>;
};

/** What an update writes; absent fields are left alone, null clears. */
export interface UserRecordChanges extends Omit<UserFields, 'password'> {
  passwordHash?: string;
  emailVerified?: boolean;
  /** A new picture, or null to remove it. */
  picture?: Picture | null;
  /** null clears it. */
  externalId?: string | null;
  /** Replaces the whole object. */
  customData?: Record<string, unknown>;
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
