import type { Kysely } from 'kysely';
import type { StateCache } from '../core/state-cache.js';
import type { User } from '../core/types.js';
import type { Database, Dialect } from '../db/database.js';
import type { Schema } from '../db/schema.js';

/**
 * What every store is built over. storage.ts makes one for the database when
 * it starts and one per transaction (never one per query), and hands the same
 * one to every store of that transaction.
 */
export interface StoreContext {
  /** Where the stores' queries run: the database itself, or the open transaction. */
  readonly db: Kysely<Schema>;
  /** Inside a transaction, hot reads run in it, not on the fast paths of db/prepared.ts. */
  readonly inTransaction: boolean;
  readonly dialect: Dialect;
  /**
   * A store's hot queries, compiled once per database by `build` and shared
   * by every context over it (the compiled-query cache).
   */
  readonly compiled: <Q>(build: (database: Database) => Q) => Q;
  /** Told of every user whose row a write changed: storage.ts drops it from `users` (and again at commit). */
  readonly changed: (userId: string) => void;
  /** Live users read by id, kept ≤ 1 s; only outside a transaction. */
  readonly users: StateCache<User> | undefined;
}

/**
 * The compiled-query cache of one database: each builder runs once. Keyed by
 * the builder itself, so the context need not know any store's queries (and
 * stores import the context, not one another).
 */
export function compiledQueries(database: Database): StoreContext['compiled'] {
  const built = new Map<(database: Database) => unknown, unknown>();
  return <Q>(build: (database: Database) => Q): Q => {
    if (!built.has(build)) built.set(build, build(database));
    return built.get(build) as Q;
  };
}
