import type { RefreshRotation, SessionState } from '../core/storage.js';
import type { Database } from '../db/database.js';
import { groupCommit } from '../db/group-commit.js';
import { type Executor, type Prepared, prepared } from '../db/prepared.js';
import { type StateRow, toState } from './session-state.js';

/** The session store's compiled queries a rotation also runs. */
export interface RotationQueries {
  state: Prepared<'id', StateRow>;
  /** Stores a token, capping its end at its session's (session.store.ts). */
  insertToken: Prepared<'hash' | 'sessionId' | 'at' | 'expiresAt', unknown>;
}

/**
 * SQLite's rotation: its three statements run at once, synchronously, and
 * the refreshes arriving in one turn of the event loop share one transaction
 * and its commit (src/db/group-commit.ts): a refresh's cost was mostly its
 * commit and the trips through Kysely's queue and promises. While a
 * transaction of Kysely's holds the connection (a login, a user's change),
 * the group cannot start one, and the rotation waits its turn in a
 * transaction of Kysely's instead: the same statements, through the queue.
 */
export function sqliteRotation(database: Database, q: RotationQueries): RefreshRotation {
  const db = database.db;
  // A consumed token keeps its successor sealed for the reuse grace window (null when the grace is off).
  const consume = prepared(database, ['hash', 'at', 'sealed'], (p) =>
    db
      .updateTable('refresh_tokens')
      .set({ used_at: p.at, successor: p.sealed })
      .where('token_hash', '=', p.hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', p.at)
      .returning('session_id'),
  );
  const together = groupCommit(database);
  const [consumeNow, stateNow, insertNow] = [consume.now, q.state.now, q.insertToken.now];
  if (!together || !consumeNow || !stateNow || !insertNow) throw new Error('SQLite runs statements synchronously');

  return {
    async rotate({ hash, at, next }) {
      const token = (sessionId: string) => ({ hash: next.hash, sessionId, at, expiresAt: next.expiresAt });
      const grouped = await together(() => {
        const sessionId = consumeNow({ hash, at, sealed: next.sealed })[0]?.session_id;
        if (sessionId === undefined) return undefined;
        const session = toState(stateNow({ id: sessionId })[0]);
        insertNow(token(sessionId));
        return session;
      });
      if (grouped) return grouped.value;
      return db.transaction().execute(async (trx: Executor): Promise<SessionState | undefined> => {
        const sessionId = (await consume.in(trx, { hash, at, sealed: next.sealed }))[0]?.session_id;
        if (sessionId === undefined) return undefined;
        const session = toState((await q.state.in(trx, { id: sessionId }))[0]);
        await q.insertToken.in(trx, token(sessionId));
        return session;
      });
    },
  };
}
