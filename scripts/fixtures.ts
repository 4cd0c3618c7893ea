import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Fixtures the tests and the benchmark share. */

/**
 * A new directory under the system's temporary one, removed when the process
 * exits. Not at the end of the test that made it: a test's \`after\` hooks run
 * in the order they were registered, so a removal registered first would run
 * while a server or database opened later in the test still had its files
 * open (SQLite's checkpoint thread could even make them again). Each test file
 * runs in a process of its own, so its directories go when it is done; a
 * server killed just before may take a moment to go, hence the retries.
 */
export function tempDir(prefix = 'usher-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 }));
  return dir;
}

/** A local port with nothing listening on it (bound by the OS, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface PostgresSchema {
  name: string;
  /** `base` with every connection working in the schema (search_path). */
  url: string;
  query(text: string): Promise<any[]>;
  drop(): Promise<void>;
}

/** A new, empty schema in the PostgreSQL database at `base` (pg_trgm made ready in public first). */
export async function freshPostgresSchema(base: string, prefix = 't'): Promise<PostgresSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  // Database-wide; test files start at once, so a concurrent creator may win the race.
  await client.query('create extension if not exists pg_trgm with schema public').catch(() => undefined);
  await client.query(`create schema ${name}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${name},public`);
  return {
    name,
    url: url.toString(),
    query: async (text) => (await client.query(text)).rows,
    async drop() {
      await client.query(`drop schema if exists ${name} cascade`);
      await client.end();
    },
  };
}
