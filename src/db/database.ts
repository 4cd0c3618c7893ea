import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type PgModule from 'pg';
import { startCheckpointer } from './checkpointer.js';
import { openSqlite } from './sqlite-driver.js';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** Problems found on opening that the operator should hear about (logged at start). */
  readonly warnings: readonly string[];
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * SQLite only: runs a read at once, outside Kysely's connection queue, or
   * returns undefined while a transaction is open on the connection (whose
   * uncommitted rows the read must not see); see prepared.ts.
   */
  syncReader?(sql: string): (parameters: readonly unknown[]) => unknown[] | undefined;
  /**
   * SQLite only: a statement that runs at once, synchronously; it answers
   * rows (a read, or a write with RETURNING) or none. For `syncTransaction`.
   */
  syncStatement?(sql: string): (parameters: readonly unknown[]) => unknown[];
  /**
   * SQLite only: runs `work` as one transaction at once, without yielding
   * (`work` must be synchronous), so no other query can come between its
   * statements; a throw rolls it back. Answers undefined, running nothing,
   * while a transaction of Kysely's is open on the connection.
   */
  syncTransaction?<T>(work: () => T): { value: T } | undefined;
  /**
   * PostgreSQL only: runs a read outside any transaction as a named prepared
   * statement, so the server plans it once per connection, not per call.
   */
  namedReader?(sql: string): (parameters: readonly unknown[]) => Promise<unknown[]>;
  /**
   * Tells `listener` of each statement run through Kysely (its text, without values, and how long it took): the
   * metrics' query time and the traces' query spans. The fast read paths above are not seen. Answers the unsubscribe.
   */
  observe(listener: QueryListener): () => void;
  /** PostgreSQL only: the pool's connections (the metrics' pool use). */
  pool?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export type QueryListener = (sql: string, ms: number, failed: boolean) => void;

/** Kysely's `log` hook, calling the listeners (none: Kysely still times each statement, which is cheap). */
function queryLog() {
  const listeners = new Set<QueryListener>();
  const log = (event: LogEvent) => {
    for (const listener of listeners) listener(event.query.sql, event.queryDurationMillis, event.level === 'error');
  };
  const observe = (listener: QueryListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { log, observe };
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/** The one place a dialect is chosen: from DATABASE_URL. */
/** `sqliteCacheMb`: SQLite's page cache (default 2 MB); a bulk import wants far more. */
export function createDatabase(
  url: string,
  options: { poolSize?: number; sqliteSynchronous?: 'normal' | 'full'; sqliteCacheMb?: number } = {},
): Database {
  if (url.startsWith('sqlite:'))
    return createSqlite(url.slice('sqlite:'.length), options.sqliteSynchronous ?? 'normal', options.sqliteCacheMb);
  return createPostgres(url, options.poolSize ?? 10);
}

function createSqlite(path: string, synchronous: 'normal' | 'full', cacheMb?: number): Database {
  const memory = path === ':memory:';
  const warnings = memory ? [] : privateFile(resolve(path));
  const native = openSqlite(memory ? ':memory:' : path);
  native.pragma('journal_mode = WAL');
  // WAL with NORMAL: a commit is in the WAL file (in the OS) before the answer, so a crash or kill -9 of
  // the process loses nothing acknowledged; FULL also fsyncs every commit, for power loss (docs/decisions.md).
  native.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  native.pragma('foreign_keys = ON');
  // Another instance (or `npm run migrate`) may hold the write lock briefly.
  native.pragma('busy_timeout = 5000');
  if (cacheMb !== undefined) native.pragma(`cache_size = ${-Math.round(cacheMb * 1024)}`);
  // Planner statistics for a long-lived connection, as SQLite recommends (cheap when nothing changed).
  native.pragma('optimize = 0x10002');
  // WAL checkpoints (copying into the database file, and its fsyncs) run in a worker thread, not inside a commit.
  const checkpointer = memory
    ? undefined
    : startCheckpointer(native, resolve(path), synchronous === 'full' ? 'FULL' : 'NORMAL');
  const { log, observe } = queryLog();
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(native) }), log });
  const inOneTransaction = native.transaction((work: () => unknown) => work());
  return {
    db,
    dialect: 'sqlite',
    warnings,
    observe,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    syncReader: (text) => {
      // Rows come back as arrays and become objects in one generated literal:
      // a third cheaper than better-sqlite3 building each object key by key.
      const statement = native.prepare(text).raw(true);
      const names = statement.columns().map((c) => JSON.stringify(c.name));
      const toObject = new Function('r', `return { ${names.map((n, i) => `${n}: r[${i}]`).join(', ')} };`) as (
        r: unknown[],
      ) => unknown;
      return (parameters) =>
        native.inTransaction ? undefined : (statement.all(parameters as unknown[]) as unknown[][]).map(toObject);
    },
    syncStatement: (text) => {
      const statement = native.prepare(text);
      return statement.reader
        ? (parameters) => statement.all(parameters as unknown[])
        : (parameters) => (statement.run(parameters as unknown[]), []);
    },
    syncTransaction: <T>(work: () => T) => (native.inTransaction ? undefined : { value: inOneTransaction(work) as T }),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The database holds password hashes and, unless USHER_JWT_SECRET is set, the
 * token-signing keys: anyone who can read it can sign tokens. A new directory
 * is made 0700 and a new file 0600 (SQLite gives its -wal and -shm files the
 * database file's mode). An existing file others can read is not changed
 * behind the operator's back, but reported.
 */
function privateFile(file: string): string[] {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const warnings: string[] = [];
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    const mode = existsSync(f) ? statSync(f).mode & 0o777 : 0;
    if (mode & 0o077)
      warnings.push(
        `${f} is readable or writable by other accounts (mode ${mode.toString(8)}): it holds password hashes and signing keys; run chmod 600 on it`,
      );
  }
  return warnings;
}

/**
 * Kysely prepares every query anew; compiling the SQL was the largest single
 * cost of a read. Statements are reusable (better-sqlite3 runs them
 * synchronously), so keep them by SQL text. Queries are built from fixed
 * shapes, so the set is small; the bound is a safety net.
 */
function withStatementCache(native: SQLite.Database, max = 500): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>();
  return new Proxy(native, {
    get(target, property) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let statement = statements.get(sql);
        if (!statement) {
          if (statements.size >= max) statements.clear();
          statement = target.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      };
    },
  });
}

function createPostgres(url: string, poolSize: number): Database {
  // Loaded only when PostgreSQL is used: the embedded default starts without it.
  const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Rows carry ISO 8601 strings for timestamps and numbers for counts on both dialects.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === TIMESTAMPTZ_OID) return (v: string) => new Date(v).toISOString();
        if (oid === INT8_OID) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const { log, observe } = queryLog();
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), log });
  return {
    db,
    dialect: 'postgres',
    warnings: [],
    observe,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    namedReader: (text) => {
      const name = `usher_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      return async (parameters) => (await pool.query({ name, text, values: parameters as unknown[] })).rows;
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * PostgreSQL refused the statement (an SQLSTATE came back), so nothing of it was kept; a lost connection leaves that
 * unknown.
 */
export const refusedByPostgres = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code));

/** The name of the unique index or column a write violated, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return e.constraint ?? 'unknown';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return /failed: (.+)$/.exec(e.message ?? '')?.[1] ?? 'unknown';
  }
  return undefined;
}
