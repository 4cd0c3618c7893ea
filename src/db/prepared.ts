import type { Compilable, Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

export interface Prepared<R> {
  /** Runs outside any transaction. */
  (...values: unknown[]): Promise<R[]>;
  /** Runs inside `trx`. */
  in(trx: Transaction<any> | Kysely<any>, ...values: unknown[]): Promise<R[]>;
}

/**
 * A query Kysely builds and compiles once, then runs many times with new
 * parameter values: for the queries on the hot paths (every authenticated
 * request, every refresh), where building and compiling cost more than
 * running them. `build` receives unique placeholder strings, which are found
 * in the compiled parameters and replaced per call.
 *
 * Outside a transaction, on PostgreSQL, a read is a named prepared statement
 * (planned once per connection). On SQLite it runs synchronously at once
 * (better-sqlite3 is synchronous anyway, and only one statement runs at a time
 * in one thread), unless a transaction is open on the connection: then it
 * waits its turn in Kysely's queue like any other query, so it never sees
 * uncommitted rows.
 */
export function prepared<R>(database: Database, arity: number, build: (...placeholders: string[]) => Compilable<R>): Prepared<R> {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000prepared-${i}\u0000`);
  const compiled = build(...placeholders).compile();
  // Where each placeholder went: possibly several places (one timestamp in two columns), possibly
  // none (a list without a status filter), in which case its value is ignored.
  const slots = compiled.parameters.flatMap((value, at) => {
    const which = placeholders.indexOf(value as string);
    return which < 0 ? [] : [[at, which] as const];
  });
  const withValues = (values: unknown[]) => {
    const parameters = compiled.parameters.slice();
    for (const [at, which] of slots) parameters[at] = values[which];
    return { ...compiled, parameters };
  };
  const isRead = compiled.sql.trimStart().toLowerCase().startsWith('select');
  const readNow = isRead ? database.syncReader?.(compiled.sql) : undefined;
  const readNamed = isRead ? database.namedReader?.(compiled.sql) : undefined;
  const run = async (...values: unknown[]): Promise<R[]> => {
    const query = withValues(values);
    const rows = readNow?.(query.parameters);
    if (rows) return rows as R[];
    if (readNamed) return (await readNamed(query.parameters)) as R[];
    return (await database.db.executeQuery<R>(query)).rows;
  };
  return Object.assign(run, {
    in: async (trx: Transaction<any> | Kysely<any>, ...values: unknown[]) => (await trx.executeQuery<R>(withValues(values))).rows,
  });
}
