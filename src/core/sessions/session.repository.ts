import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Database } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import type { Role, Status } from '../types.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** What authenticating a request needs to know about its session, in one indexed read. */
export interface SessionState {
  sessionId: string;
  userId: string;
  role: Role;
  status: Status;
  /** The session's absolute end: refreshing never moves it. */
  expiresAt: string;
  /** When the user gave their password for this session. */
  authenticatedAt: string;
  /** Revoked, or the user was deleted. */
  ended: boolean;
}

const selectSessionState = (db: Db, sessionId: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.authenticated_at', 'sessions.created_at', 'sessions.revoked_at', 'users.role', 'users.status', 'users.deleted_at'])
    .where('sessions.id', '=', sessionId);

/**
 * The session queries on the hot paths (every authenticated request, every
 * login and refresh), compiled once. The rest of this file builds its
 * queries per call.
 */
export function sessionQueries(database: Database) {
  const db = database.db;
  const state = prepared(database, 1, (id) => selectSessionState(db, id));
  const consume = prepared(database, 2, (hash, now) =>
    db.updateTable('refresh_tokens').set({ used_at: now }).where('token_hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', now).returning('session_id'),
  );
  const insertToken = prepared(database, 4, (hash, sessionId, now, expiresAt) =>
    db.insertInto('refresh_tokens').values({ token_hash: hash, session_id: sessionId, created_at: now, expires_at: expiresAt, used_at: null }),
  );
  const insertSession = prepared(database, 4, (id, userId, now, expiresAt) =>
    db.insertInto('sessions').values({ id, user_id: userId, created_at: now, refreshed_at: now, authenticated_at: now, expires_at: expiresAt, revoked_at: null, revoked_reason: null }),
  );
  const first = <T>(rows: T[]) => rows[0];
  return {
    /** A session's state, read at once (see prepared.ts); every authenticated request may need it. */
    state: async (sessionId: string) => {
      const row = first(await state(sessionId));
      return row && toSessionState(row);
    },
    stateIn: async (trx: Db, sessionId: string) => {
      const row = first(await state.in(trx, sessionId));
      return row && toSessionState(row);
    },
    /**
     * Marks an unused, unexpired refresh token used, in one statement (so two
     * concurrent refreshes cannot both win), and returns its session; undefined
     * when the token is unknown, expired or already used.
     */
    consume: async (trx: Db, hash: string, now: string) => first(await consume.in(trx, hash, now))?.session_id,
    insertRefreshToken: async (trx: Db, t: { hash: string; sessionId: string; now: string; expiresAt: string }) => {
      await insertToken.in(trx, t.hash, t.sessionId, t.now, t.expiresAt);
    },
    insertSession: async (trx: Db, s: { id: string; userId: string; now: string; expiresAt: string }) => {
      await insertSession.in(trx, s.id, s.userId, s.now, s.expiresAt);
    },
  };
}

export type SessionQueries = ReturnType<typeof sessionQueries>;

interface StateRow {
  id: string;
  user_id: string;
  expires_at: string;
  authenticated_at: string | null;
  created_at: string;
  revoked_at: string | null;
  role: string;
  status: string;
  deleted_at: string | null;
}

function toSessionState(row: StateRow): SessionState {
  return {
    sessionId: row.id,
    userId: row.user_id,
    role: row.role as Role,
    status: row.status as Status,
    expiresAt: row.expires_at,
    authenticatedAt: row.authenticated_at ?? row.created_at,
    ended: row.revoked_at !== null || row.deleted_at !== null,
  };
}

export async function findRefreshToken(db: Db, hash: string) {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
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
