import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Role, Status } from '../types.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** What authenticating a request needs to know about its session, in one indexed read. */
export interface SessionState {
  sessionId: string;
  userId: string;
  role: Role;
  status: Status;
  expiresAt: string;
  /** Revoked, or the user was deleted. */
  ended: boolean;
}

export async function findSessionState(db: Db, sessionId: string): Promise<SessionState | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.revoked_at', 'users.role', 'users.status', 'users.deleted_at'])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sessionId: row.id,
    userId: row.user_id,
    role: row.role as Role,
    status: row.status as Status,
    expiresAt: row.expires_at,
    ended: row.revoked_at !== null || row.deleted_at !== null,
  };
}

export async function insertSession(db: Db, s: { id: string; userId: string; now: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, created_at: s.now, refreshed_at: s.now, expires_at: s.expiresAt, revoked_at: null, revoked_reason: null })
    .execute();
}

export async function insertRefreshToken(db: Db, t: { hash: string; sessionId: string; now: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: t.hash, session_id: t.sessionId, created_at: t.now, expires_at: t.expiresAt, used_at: null })
    .execute();
}

export async function findRefreshToken(db: Db, hash: string) {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** Marks a refresh token used; false when it already was (a concurrent refresh, or a replay). */
export async function consumeRefreshToken(db: Db, hash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function extendSession(db: Db, sessionId: string, now: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ refreshed_at: now, expires_at: expiresAt }).where('id', '=', sessionId).execute();
}

export async function revokeSession(db: Db, sessionId: string, now: string, reason: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now, revoked_reason: reason }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeUserSessions(db: Db, userId: string, now: string, reason: string, exceptSessionId?: string): Promise<void> {
  let query = db.updateTable('sessions').set({ revoked_at: now, revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}

/** Drops refresh tokens and sessions that expired more than `graceMs` ago. */
export async function deleteExpired(db: Db, before: string): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', before).execute();
}
