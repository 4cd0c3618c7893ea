import { StateCache } from '../core/state-cache.js';
import type { Storage, Stores } from '../core/storage.js';
import type { User } from '../core/types.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/prepared.js';
import { apiKeyQueries, apiKeyStore } from './api-key.store.js';
import { auditStore } from './audit.store.js';
import { codeStore } from './code.store.js';
import { mailStore } from './mail.store.js';
import { mfaStore } from './mfa.store.js';
import { idempotencyStore } from './idempotency.store.js';
import { sessionQueries, sessionStore } from './session.store.js';
import { signingKeyStore } from './signing-key.store.js';
import { readUser, userQueries, userStore } from './users/user.store.js';

/**
 * The storage the core runs on: one store per table family (users with their
 * pictures, sessions with their refresh tokens, API keys, signing keys),
 * each the only code that queries its tables. Queries are compiled once here
 * and shared by the stores of every transaction.
 *
 * Live users read by id outside a transaction come from a cache of this
 * instance that keeps each for at most 1 s. Every write to a user's row through these stores drops that user
 * when the statement is done and again when its transaction ends, so this
 * instance never answers a read older than a write it made; other instances
 * hear through the event bus (`forgetUser`), or see the change within the TTL.
 */
export function createStorage(database: Database, options: { now?: () => number } = {}): Storage {
  const queries = {
    users: userQueries(database),
    sessions: sessionQueries(database),
    apiKeys: apiKeyQueries(database),
  };
  const cache = new StateCache<User>((id) => readUser(queries.users, id), options.now ?? Date.now, 1000, 10_000, false);
  const forget = (id: string) => cache.forget(id);
  const stores = (executor: Executor, inTransaction: boolean, changed: (id: string) => void): Stores => ({
    users: userStore(database, queries.users, executor, inTransaction, changed, inTransaction ? undefined : cache),
    sessions: sessionStore(queries.sessions, executor, inTransaction),
    apiKeys: apiKeyStore(queries.apiKeys, executor),
    audit: auditStore(executor),
    mail: mailStore(database, executor),
    codes: codeStore(executor),
    mfa: mfaStore(executor, changed),
  });
  return {
    ...stores(database.db, false, forget),
    refreshes: queries.sessions.rotation,
    signingKeys: signingKeyStore(database.db),
    idempotency: idempotencyStore(database.db),
    async transaction(work) {
      const touched = new Set<string>();
      try {
        return await database.db.transaction().execute((trx) =>
          work(
            stores(trx, true, (id) => {
              forget(id);
              touched.add(id);
            }),
          ),
        );
      } finally {
        // A read that ran between the write and the commit saw the row as it was.
        for (const id of touched) forget(id);
      }
    },
    forgetUser: forget,
  };
}
