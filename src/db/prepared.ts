import { type Compilable, type Kysely, type RawBuilder, type Transaction, sql } from 'kysely';
import type { Database } from './database.js';

/** Where a prepared query runs: the database, or an open transaction. */
export type Executor = Kysely<any> | Transaction<any>;

/** The values of a prepared query, by placeholder name. */
export type Values<P extends string> = { readonly [K in P]: unknown };

export interface Prepared<P extends string, R> {
  /** Runs outside any transaction (on the fast paths described below). */
  (values: Values<P>): Promise<R[]>;
  /** Runs inside `executor` (a transaction, or the database through Kysely's queue). */
  in(executor: Executor, values: Values<P>): Promise<R[]>;
  /** SQLite only: runs at once, synchronously, inside `Database.syncTransaction`'s work. */
  now?: (values: Values<P>) => R[];
}

/** The placeholders a query is built with: each is a parameter value standing for the named one. */
export type Placeholders<P extends string> = { readonly [K in P]: string };

/** A placeholder where Kysely wants a number (`limit`, `offset`). */
export const asNumber = (placeholder: string): RawBuilder<number> => sql<number>`${placeholder}`;

/**
 * THE SPEED-UP LAYER. Every hot query (each authenticated request, login,
 * refresh, list page) is built by Kysely and compiled once, then run many
 * times with new values, because building and compiling cost more than
 * running. `build` gets one placeholder per name; they are found in the
 * compiled parameters (a value may sit in several places, or in none: a list
 * without a status filter ignores its status) and replaced per call.
 *
 * Outside a transaction:
 * - PostgreSQL runs a read as a named prepared statement, planned once per
 *   connection (`Database.namedReader`); never another statement, whose
 *   best plan may depend on its values (a list's CTE, a search pattern);
 * - SQLite runs a read synchronously at once, as better-sqlite3 does anyway,
 *   without a trip through Kysely's connection queue
 *   (`Database.syncReader`), unless a transaction is open on the
 *   connection: then it waits its turn like any query, so it never sees
 *   uncommitted rows.
 */
export function prepared<const P extends string, R>(
  database: Database,
  names: readonly P[],
  build: (p: Placeholders<P>) => Compilable<R>,
): Prepared<P, R> {
  const marks = names.map((name) => `\u0000prepared:${name}\u0000`);
  const compiled = build(Object.fromEntries(names.map((name, i) => [name, marks[i]!])) as Placeholders<P>).compile();
  const slots = compiled.parameters.flatMap((value, at) => {
    const which = marks.indexOf(value as string);
    return which < 0 ? [] : [[at, names[which]!] as const];
  });
  const bind = (values: Values<P>) => {
    const parameters = compiled.parameters.slice();
    for (const [at, name] of slots) parameters[at] = values[name];
    return parameters;
  };
  const isRead = /^\s*select\b/i.test(compiled.sql);
  const readNow = isRead ? database.syncReader?.(compiled.sql) : undefined;
  const readNamed = isRead ? database.namedReader?.(compiled.sql) : undefined;
  const run = async (values: Values<P>): Promise<R[]> => {
    const parameters = bind(values);
    const rows = readNow?.(parameters);
    if (rows) return rows as R[];
    if (readNamed) return (await readNamed(parameters)) as R[];
    return (await database.db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
  // Prepared at its first synchronous run: most queries never take that path, and start-up need not pay for them.
  const syncStatement = database.syncStatement;
  let statement: ((parameters: readonly unknown[]) => unknown[]) | undefined;
  return Object.assign(run, {
    in: async (executor: Executor, values: Values<P>) =>
      (await executor.executeQuery<R>({ ...compiled, parameters: bind(values) })).rows,
    now: syncStatement && ((values: Values<P>) => (statement ??= syncStatement(compiled.sql))(bind(values)) as R[]),
  });
}
