import { sql } from 'kysely';
import type { NewUserRecord, UserRecordChanges } from '../../core/storage.js';
import type { Role, Status, User } from '../../core/types.js';
import { searchText } from '../../core/users/search-rule.js';
import { duplicate } from '../../core/users/user.rules.js';
import { customDataOf } from '../../core/custom-data/custom-data.rules.js';
import { uniqueViolation } from '../../db/database.js';
import type { UsersTable } from '../../db/schema.js';

/** Row ⇄ domain for the users table: the one place that knows its columns. */

export type UserRow = UsersTable;

/** Every column but the password hash, which only credential checks read. */
export const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'role',
  'status',
  'first_name',
  'last_name',
  'phone_number',
  'date_of_birth',
  'bio',
  'picture_id',
  'pref_theme',
  'pref_notifications',
  'created_at',
  'updated_at',
  'last_login_at',
  'email_verified',
  'external_id',
  'custom_data',
] as const;

const hasPasswordColumn = sql<number>`(case when password_hash is null then 0 else 1 end)`.as('has_password');
const mfaEnabledColumn = sql<number>`(case when mfa_secret is null then 0 else 1 end)`.as('mfa_enabled');

/** What every read of a user selects (and every write returns): the public columns and the two derived flags. */
export const PUBLIC_SELECTION = [...USER_COLUMNS, hasPasswordColumn, mfaEnabledColumn] as const;

export type PublicRow = Pick<UserRow, (typeof USER_COLUMNS)[number]> & {
  has_password: number | boolean;
  mfa_enabled: number | boolean;
};

export function toUser(row: PublicRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role as Role,
    status: row.status as Status,
    firstName: row.first_name,
    lastName: row.last_name,
    phoneNumber: row.phone_number,
    dateOfBirth: row.date_of_birth,
    bio: row.bio,
    pictureId: row.picture_id,
    preferences: { theme: row.pref_theme, notifications: Boolean(row.pref_notifications) },
    hasPassword: Boolean(row.has_password),
    emailVerified: Boolean(row.email_verified),
    mfaEnabled: Boolean(row.mfa_enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
    externalId: row.external_id,
    customData: customDataOf(row.custom_data),
  };
}

/** Uniqueness and lookups are case-insensitive: on these lower-case keys. */
export const lowerKey = (value: string): string => value.toLowerCase();
const nameKey = (name: string | null): string | null => (name === null ? null : name.toLowerCase());

/** The row for a new user (registration, creation, the seeder): keys and search text derived here only. */
export function newUserRow(r: NewUserRecord): UserRow {
  return {
    id: r.id,
    username: r.username,
    username_key: lowerKey(r.username),
    email: r.email,
    email_key: lowerKey(r.email),
    password_hash: r.passwordHash,
    role: r.role,
    status: r.status,
    first_name: r.firstName,
    first_name_key: nameKey(r.firstName),
    last_name: r.lastName,
    last_name_key: nameKey(r.lastName),
    phone_number: r.phoneNumber,
    date_of_birth: r.dateOfBirth,
    bio: r.bio,
    picture_id: null,
    pref_theme: r.preferences.theme,
    pref_notifications: r.preferences.notifications ? 1 : 0,
    search_text: searchText(r),
    created_at: r.createdAt,
    updated_at: r.createdAt,
    last_login_at: r.lastLoginAt ?? null,
    deleted_at: null,
    email_verified: r.emailVerified ? 1 : 0,
    mfa_secret: null,
    mfa_pending_secret: null,
    mfa_last_step: null,
    created_by_key_id: r.createdByKeyId ?? null,
    custom_data: r.customData === undefined ? null : JSON.stringify(r.customData),
    external_id: r.externalId ?? null,
  };
}

/** The columns an update writes over `current`: exactly the given fields, plus the keys and search text they move. */
export function changedColumns(current: User, c: UserRecordChanges): Partial<UserRow> {
  const next = {
    username: c.username ?? current.username,
    email: c.email ?? current.email,
    firstName: c.firstName !== undefined ? c.firstName : current.firstName,
    lastName: c.lastName !== undefined ? c.lastName : current.lastName,
  };
  return {
    ...(c.username !== undefined && { username: c.username, username_key: lowerKey(c.username) }),
    ...(c.email !== undefined && { email: c.email, email_key: lowerKey(c.email) }),
    ...(c.passwordHash !== undefined && { password_hash: c.passwordHash }),
    ...(c.emailVerified !== undefined && { email_verified: c.emailVerified ? 1 : 0 }),
    ...(c.role !== undefined && { role: c.role }),
    ...(c.status !== undefined && { status: c.status }),
    ...(c.firstName !== undefined && { first_name: c.firstName, first_name_key: nameKey(c.firstName) }),
    ...(c.lastName !== undefined && { last_name: c.lastName, last_name_key: nameKey(c.lastName) }),
    ...(c.phoneNumber !== undefined && { phone_number: c.phoneNumber }),
    ...(c.dateOfBirth !== undefined && { date_of_birth: c.dateOfBirth }),
    ...(c.bio !== undefined && { bio: c.bio }),
    ...(c.theme !== undefined && { pref_theme: c.theme }),
    ...(c.notifications !== undefined && { pref_notifications: c.notifications ? 1 : 0 }),
    ...(c.externalId !== undefined && { external_id: c.externalId }),
    ...(c.customData !== undefined && { custom_data: JSON.stringify(c.customData) }),
    search_text: searchText(next),
    updated_at: c.updatedAt,
  };
}

// The unique indexes of live users, by the names each driver reports: PostgreSQL names the index, SQLite the column.
const DUPLICATE_FIELD: Record<string, 'username' | 'email' | 'external_id'> = {
  users_external_id: 'external_id',
  'users.external_id': 'external_id',
  users_username_key_live: 'username',
  'users.username_key': 'username',
  users_email_key_live: 'email',
  'users.email_key': 'email',
};

/** A unique-index violation on users as the 409 the specs ask for, naming the field; anything else as it was. */
export function asDuplicate(
  error: unknown,
  values: { username?: string; email?: string; externalId?: string | null },
): unknown {
  const index = uniqueViolation(error);
  const field = index === undefined ? undefined : DUPLICATE_FIELD[index];
  if (!field) return error;
  return duplicate(field, (field === 'external_id' ? values.externalId : values[field]) ?? '');
}
