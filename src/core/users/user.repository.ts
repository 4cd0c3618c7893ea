import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { Schema, UsersTable } from '../../db/schema.js';
import type { Database } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import type { Role, Status, User } from '../types.js';

type Db = Kysely<Schema> | Transaction<Schema>;
export type UserRow = Selectable<UsersTable>;

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
] as const;

type PublicRow = Pick<UserRow, (typeof USER_COLUMNS)[number]> & { has_password: number | boolean };

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
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  };
}

export const usernameKey = (username: string): string => username.toLowerCase();
export const emailKey = (email: string): string => email.toLowerCase();
/** Names are searched by prefix (short terms) on this lower-case copy. */
export const nameKey = (name: string | null | undefined): string | null => (name == null ? null : name.toLowerCase());

/** What substring search runs over. The newline keeps matches inside one field (search terms cannot hold one). */
export function searchText(u: { username: string; email: string; first_name: string | null; last_name: string | null }): string {
  return [u.username, u.email, u.first_name ?? '', u.last_name ?? ''].join('\n').toLowerCase();
}

export const hasPasswordColumn = sql<number>`(case when password_hash is null then 0 else 1 end)`.as('has_password');

function selectUser(db: Db) {
  return db.selectFrom('users').select(USER_COLUMNS).select(hasPasswordColumn).where('deleted_at', 'is', null);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await selectUser(db).where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/** findUserById outside a transaction, compiled once: it runs on most requests. */
export function userByIdReader(database: Database): (id: string) => Promise<User | undefined> {
  const query = prepared(database, 1, (id) => selectUser(database.db).where('id', '=', id));
  return async (id) => {
    const [row] = await query(id);
    return row && toUser(row);
  };
}

export interface Credentials {
  user: User;
  passwordHash: string | null;
}

/** A live user by username or email (case-insensitive), with the hash for a password check. */
export async function findCredentials(db: Db, login: { username?: string; email?: string }): Promise<Credentials | undefined> {
  let query = selectUser(db).select('password_hash');
  if (login.username !== undefined) query = query.where('username_key', '=', usernameKey(login.username));
  else if (login.email !== undefined) query = query.where('email_key', '=', emailKey(login.email));
  else return undefined;
  const row = await query.executeTakeFirst();
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export async function findPasswordHash(db: Db, id: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row?.password_hash;
}

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export type UserUpdate = Partial<Omit<UserRow, 'id' | 'created_at'>>;

export async function updateUserRow(db: Db, id: string, changes: UserUpdate): Promise<boolean> {
  const result = await db.updateTable('users').set(changes).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Live, active admins other than `exceptId`. On PostgreSQL every active admin
 * row is locked (in id order, so two callers cannot deadlock) until the
 * transaction ends: two admins demoting each other cannot both pass.
 */
export async function countOtherActiveAdmins(db: Db, exceptId: string, lock: boolean): Promise<number> {
  let query = db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .where('deleted_at', 'is', null)
    .orderBy('id');
  if (lock) query = query.forUpdate();
  return (await query.execute()).filter((r) => r.id !== exceptId).length;
}
