import { sql } from 'kysely';
import type { SessionState, SessionStore } from '../core/storage.js';
import type { Role, Status } from '../core/types.js';
import { type Database, refusedByPostgres } from '../db/database.js';
import { batched } from '../db/batch.js';
import { groupCommit } from '../db/group-commit.js';
import { type Executor, prepared } from '../db/prepared.js';
import { graceKeyStore } from './refresh-grace.store.js';
import { sessionManagement } from './session.manage.js';
import type { StoreContext } from './store-context.js';

/**
 * Queries compiled once: the session state on every authenticated request, and the writes of every login and refresh.
 */
export function sessionQueries(database: Database) {
  const db = database.db;
  return {
    state: prepared(database, ['id'], (p) =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
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
    // Refreshes arriving together share one commit on SQLite.
    together: groupCommit(database),
    // A consumed token keeps its successor sealed for the reuse grace window (null when the grace is off).
    consume: prepared(database, ['hash', 'at', 'sealed'], (p) =>
      db
        .updateTable('refresh_tokens')
        .set({ used_at: p.at, successor: p.sealed })
        .where('token_hash', '=', p.hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', p.at)
        .returning('session_id'),
    ),
    // PostgreSQL: refreshes arriving together are one statement (one round trip, one commit).
    rotateMany: database.dialect === 'postgres' ? rotateMany(database) : undefined,
    forget: prepared(database, ['hash'], (p) => db.deleteFrom('refresh_tokens').where('token_hash', '=', p.hash)),
    insertToken: prepared(database, ['hash', 'sessionId', 'at', 'expiresAt'], (p) =>
      db.insertInto('refresh_tokens').values({
        token_hash: p.hash,
        session_id: p.sessionId,
        created_at: p.at,
        expires_at: p.expiresAt,
        used_at: null,
      }),
    ),
    insertSession: prepared(database, ['id', 'userId', 'at', 'expiresAt', 'ip', 'userAgent'], (p) =>
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
      }),
    ),
  };
}

export type SessionQueries = ReturnType<typeof sessionQueries>;

interface Rotation {
  hash: string;
  at: string;
  next: string;
  expiresAt: string;
  sealed: string | null;
}

/**
 * PostgreSQL: rotations arriving together, as one statement, so all or none
 * of them are kept. Each consumes its token, reads the session, and stores
 * the next token, expiring at the earlier of its own end and the session's;
 * `forget` removes it again (never given out) when the core's rules refuse
 * the session. Answers each rotation's session, if its token was consumed.
 */
function rotateMany(database: Database): (rotation: Rotation) => Promise<SessionState | undefined> {
  const db = database.db;
  const statement = prepared(database, ['hashes', 'ats', 'nexts', 'ends', 'sealed'], (p) => ({
    compile: () =>
      sql<StateRow & { consumed: string }>`
        with input as (select * from unnest(${p.hashes}::text[], ${p.ats}::timestamptz[], ${p.nexts}::text[], ${p.ends}::timestamptz[], ${p.sealed}::text[]) as i(hash, at, next, ends, sealed)),
        consumed as (
          update refresh_tokens t set used_at = input.at, successor = input.sealed from input
          where t.token_hash = input.hash and t.used_at is null and t.expires_at > input.at
          returning t.token_hash, t.session_id
        ),
        state as (
          select consumed.token_hash as consumed, s.id, s.user_id, s.expires_at, s.authenticated_at, s.created_at, s.revoked_at, u.role, u.status, u.deleted_at
          from consumed join sessions s on s.id = consumed.session_id join users u on u.id = s.user_id
        ),
        stored as (
          insert into refresh_tokens (token_hash, session_id, created_at, expires_at, used_at)
          select input.next, state.id, input.at, least(input.ends, state.expires_at), null from state join input on input.hash = state.consumed
        )
        select * from state`.compile(db),
  }));
  return batched(
    (r: Rotation) => r.hash,
    async (batch: Rotation[]) => {
      const values = {
        hashes: batch.map((r) => r.hash),
        ats: batch.map((r) => r.at),
        nexts: batch.map((r) => r.next),
        ends: batch.map((r) => r.expiresAt),
        sealed: batch.map((r) => r.sealed),
      };
      const byHash = new Map((await statement(values)).map((row) => [row.consumed, row]));
      return batch.map((r) => toState(byHash.get(r.hash)));
    },
    refusedByPostgres,
  );
}

/** A session with its user's role and status, as `state` and `rotateMany` read it. */
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

function toState(row: StateRow | undefined): SessionState | undefined {
  return (
    row && {
      sessionId: row.id,
      userId: row.user_id,
      role: row.role as Role,
      status: row.status as Status,
      expiresAt: row.expires_at,
      authenticatedAt: row.authenticated_at ?? row.created_at,
      ended: row.revoked_at !== null || row.deleted_at !== null,
    }
  );
}

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
    async rotateRefreshToken(hash, at, next, usable) {
      const { consume, state, insertToken, together, rotateMany } = q;
      if (!inTransaction && rotateMany) {
        const session = await rotateMany({
          hash,
          at,
          next: next.hash,
          expiresAt: next.expiresAt,
          sealed: next.sealed ?? null,
        });
        if (session && usable(session)) return session;
        if (session) await q.forget({ hash: next.hash });
        return undefined;
      }
      // The next token's row, its end capped at the session's.
      const stored = (session: SessionState) => ({
        hash: next.hash,
        sessionId: session.sessionId,
        at,
        expiresAt: Date.parse(next.expiresAt) < Date.parse(session.expiresAt) ? next.expiresAt : session.expiresAt,
      });
      // On SQLite the three statements run at once, and refreshes arriving together share one
      // transaction (a refresh's cost was mostly its commit and the trips through Kysely's
      // queue and promises); otherwise through Kysely.
      if (!inTransaction && together && consume.now && state.now && insertToken.now) {
        const done = await together(() => {
          const sessionId = consume.now!({ hash, at, sealed: next.sealed ?? null })[0]?.session_id;
          const session = sessionId === undefined ? undefined : toState(state.now!({ id: sessionId })[0]);
          if (!session || !usable(session)) return undefined;
          insertToken.now!(stored(session));
          return session;
        });
        if (done) return done.value;
      }
      const rotate = async (trx: Executor) => {
        const sessionId = (await consume.in(trx, { hash, at, sealed: next.sealed ?? null }))[0]?.session_id;
        const session = sessionId === undefined ? undefined : toState((await state.in(trx, { id: sessionId }))[0]);
        if (!session || !usable(session)) return undefined;
        await insertToken.in(trx, stored(session));
        return session;
      };
      return inTransaction ? rotate(db) : db.transaction().execute(rotate);
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
