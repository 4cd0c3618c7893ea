import { createRequire } from 'node:module';
import type SQLite from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * The better-sqlite3 build this Node.js runs. Version 12 is the last for
 * Node.js 20; on Node.js 24.19 and later its statements abort the process
 * when a garbage collection finalises them outside a JavaScript context
 * (Node's ObjectWrap now unregisters a cleanup hook there), which version 13
 * fixes, and 13 needs Node.js 22. Both are installed (13 under the alias
 * `better-sqlite3-next`) and `scripts/build-native.mjs` builds the one this
 * Node.js needs; see docs/decisions.md.
 */
export const SQLITE_PACKAGE =
  Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-next' : 'better-sqlite3';

/** The package's entry file, for worker threads that open their own connection. */
export const sqliteModulePath = (): string => require.resolve(SQLITE_PACKAGE);

/** Opens a database file (or `:memory:`) with the build for this Node.js. */
export function openSqlite(file: string, options?: SQLite.Options): SQLite.Database {
  const Driver = require(SQLITE_PACKAGE) as typeof SQLite;
  return new Driver(file, options);
}
