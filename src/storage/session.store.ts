import { sql } from 'kysely';
import type { SessionStore } from '../core/storage.js';
import type { Database } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { postgresRotation } from './refresh.postgres.js';
import { sqliteRotation } from './refresh.sqlite.js';
import type { StoreContext } from './store-context.js';
import { graceKeyStore } from './refresh-grace.store.js';
import { toState } from './session-state.js';
import { sessionManagement } from './session.manage.js';

/**
 * Queries compiled once: the session state on every authenticated request, and the writes of every login and refresh.
 */
export function sessionQueries(database: Database) {
  const db = database.db;
  const queries = {
    state: prepared(database, ['id'], (p) =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        // The session's organization membership rides on the same indexed read (issue 28).
        .leftJoin('organization_members as om', (j) =>
          j.onRef('om.organization_id', '=', 'sessions.organization_id').onRef('om.user_id', '=', 'sessions.user_id'),
        )
        .select([
          'sessions.organization_id',
          'om.user_id as org_member',
          'sessions.id',
          'sessions.user_id',
          'sessions.expires_at',
          'sessions.authenticated_at',
          'sessions.created_at',
          'sessions.revoked_at',
        ])
        .select(['users.role', 'users.status', 'users.deleted_at'])
        .where('sessions.id', '=', p.id),
    ),
    forget: prepared(database, ['hash'], (p) => db.deleteFrom('refresh_tokens').where('token_hash', '=', p.hash)),
    // No refresh token outlives its session: its end is capped at the session's, read by the same statement.
    insertToken: prepared(database, ['hash', 'sessionId', 'at', 'expiresAt'], (p) =>
      db.insertInto('refresh_tokens').values({
        token_hash: p.hash,
        session_id: p.sessionId,
        created_at: p.at,
        expires_at: (eb) =>
          eb
            .selectFrom('sessions')
            .select(sql<string>`case when ${p.expiresAt} < expires_at then ${p.expiresAt} else expires_at end`.as('e'))
            .where('id', '=', p.sessionId),
        used_at: null,
      }),
    ),
    insertSession: prepared(database, ['id', 'userId', 'at', 'expiresAt', 'ip', 'userAgent', 'organizationId'], (p) =>
      db.insertInto('sessions').values({
        id: p.id,
        user_id: p.userId,
        created_at: p.at,
        refreshed_at: p.at,
        authenticated_at: p.at,
        expires_at: p.expiresAt,
        revoked_at: null,
        revoked_reason: null,
        ip: p.ip,
        user_agent: p.userAgent,
        last_used_at: p.at,
        organization_id: p.organizationId,
      }),
    ),
  };
  // The one place a refresh's rotation is chosen, by dialect (refresh.sqlite.ts, refresh.postgres.ts).
  const rotation = database.dialect === 'postgres' ? postgresRotation(database) : sqliteRotation(database, queries);
  return { ...queries, rotation };
}

export type SessionQueries = ReturnType<typeof sessionQueries>;

/** Sessions and their refresh tokens (see store-context.ts for `inTransaction`). */
export function sessionStore(ctx: StoreContext): SessionStore {
  const { db, inTransaction } = ctx;
  const q = ctx.compiled(sessionQueries);
  return {
    async state(sessionId) {
      const [row] = inTransaction ? await q.state.in(db, { id: sessionId }) : await q.state({ id: sessionId });
      return toState(row);
    },
    async insertSession(s) {
      await q.insertSession.in(db, s);
    },
    async insertRefreshToken(t) {
      await q.insertToken.in(db, t);
    },
    async forgetRefreshToken(hash) {
      await q.forget.in(db, { hash });
    },
    async setOrganization(sessionId, organizationId) {
      await db.updateTable('sessions').set({ organization_id: organizationId }).where('id', '=', sessionId).execute();
    },
    async undoRotation(hash, nextHash) {
      await q.forget.in(db, { hash: nextHash });
      await db
        .updateTable('refresh_tokens')
        .set({ used_at: null, successor: null })
        .where('token_hash', '=', hash)
        .execute();
    },
    async refreshToken(hash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select(['session_id', 'used_at', 'expires_at', 'successor'])
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return (
        row && {
          sessionId: row.session_id,
          used: row.used_at !== null,
          usedAt: row.used_at,
          expiresAt: row.expires_at,
          successor: row.successor,
        }
      );
    },
    ...sessionManagement(db),
    ...graceKeyStore(ctx),
  };
}
