import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { freshPostgresSchema } from '../scripts/fixtures.js';
import { ARGON2_PARAMS } from '../src/core/security/password-hasher.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedUsers } from '../src/cli/seed-users.js';

export const PASSWORD = 'SecurePass123!';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  url: string;
  seedSeconds: number;
  drop(): Promise<void>;
}

/**
 * A fresh database with `users` seeded users: a SQLite file in a temporary
 * folder, or a new schema in BENCH_DATABASE_URL (dropped afterwards).
 */
export async function seededDatabase(dialect: 'sqlite' | 'postgres', users: number, log: (s: string) => void): Promise<BenchDatabase> {
  let url: string;
  let drop = async () => {};
  if (dialect === 'sqlite') {
    url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'usher-bench-')), 'usher.db')}`;
  } else {
    const schema = await freshPostgresSchema(process.env.BENCH_DATABASE_URL!, 'bench');
    url = schema.url;
    drop = () => schema.drop();
  }
  const database = createDatabase(url, { poolSize: 4 });
  await migrateToLatest(database.db);
  const started = Date.now();
  await seedUsers(database, { count: users, passwordHash: await hash(PASSWORD, ARGON2_PARAMS), onProgress: (n) => n % 100_000 === 0 && log(`  seeded ${n}`) });
  const seedSeconds = (Date.now() - started) / 1000;
  await database.close();
  return { dialect, url, seedSeconds, drop };
}

/** JSON request against a running server; throws on a status other than `expect`. */
export async function call(base: string, method: string, path: string, o: { body?: unknown; token?: string; expect?: number } = {}): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  if (res.status !== (o.expect ?? 200)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? { json: JSON.parse(text), bytes: Buffer.byteLength(text) } : { json: undefined, bytes: 0 };
}
