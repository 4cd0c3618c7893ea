import type { Storage, Stores } from '../core/storage.js';
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
import { userQueries, userStore } from './users/user.store.js';

/**
 * The storage the core runs on: one store per table family (users with their
 * pictures, sessions with their refresh tokens, API keys, signing keys),
 * each the only code that queries its tables. Queries are compiled once here
 * and shared by the stores of every transaction.
 */
export function createStorage(database: Database): Storage {
  const queries = { users: userQueries(database), sessions: sessionQueries(database), apiKeys: apiKeyQueries(database) };
  const stores = (executor: Executor, inTransaction: boolean): Stores => ({
    users: userStore(database, queries.users, executor, inTransaction),
    sessions: sessionStore(queries.sessions, executor, inTransaction),
    apiKeys: apiKeyStore(queries.apiKeys, executor),
    audit: auditStore(executor),
    mail: mailStore(database, executor),
    codes: codeStore(executor),
    mfa: mfaStore(executor),
  });
  return {
    ...stores(database.db, false),
    signingKeys: signingKeyStore(database.db),
    idempotency: idempotencyStore(database.db),
    transaction: (work) => database.db.transaction().execute((trx) => work(stores(trx, true))),
  };
}
