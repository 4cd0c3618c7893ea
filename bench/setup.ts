import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { freshPostgresSchema, tempDir } from '../scripts/fixtures.js';
import { ARGON2_PARAMS } from '../src/core/security/password-hasher.js';
import { sql } from 'kysely';
import { type Database, createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedUsers } from '../src/cli/seed-users.js';

export const PASSWORD = 'SecurePass123!';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  url: string;
  /** Seconds the last seeding took. */
  seedSeconds: number;
  users: number;
  /** Seeds more users, up to `users` in all (with no server running on the database). */
  grow(users: number): Promise<void>;
  /** Ids of `n` live seeded users picked at random. */
  sampleIds(n: number): Promise<string[]>;
  drop(): Promise<void>;
}

/**
 * A fresh database with `users` seeded users: a SQLite file in a temporary
 * folder, or a new schema in BENCH_DATABASE_URL; `drop()` removes either.
 */
export async function seededDatabase(
  dialect: 'sqlite' | 'postgres',
  users: number,
  log: (s: string) => void,
): Promise<BenchDatabase> {
  let url: string;
  let drop = async () => {};
  if (dialect === 'sqlite') {
    const dir = tempDir('usher-bench-');
    url = `sqlite:${join(dir, 'usher.db')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = await freshPostgresSchema(process.env.BENCH_DATABASE_URL!, 'bench');
    url = schema.url;
    drop = () => schema.drop();
  }
  const passwordHash = await hash(PASSWORD, ARGON2_PARAMS);
  const opened = async <T>(work: (database: Database) => Promise<T>): Promise<T> => {
    const database = createDatabase(url, { poolSize: 4 });
    try {
      return await work(database);
    } finally {
      await database.close();
    }
  };
  await opened((d) => migrateToLatest(d.db));
  const bench: BenchDatabase = {
    dialect,
    url,
    seedSeconds: 0,
    users: 0,
    async grow(to) {
      const started = Date.now();
      const from = bench.users;
      await opened((d) =>
        seedUsers(d, {
          from,
          count: to - from,
          passwordHash,
          onProgress: (n) => n % 100_000 === 0 && log(`  seeded ${from + n}`),
        }),
      );
      bench.seedSeconds = (Date.now() - started) / 1000;
      bench.users = to;
    },
    sampleIds: (n) =>
      opened(async (d) =>
        (
          await d.db
            .selectFrom('users')
            .select('id')
            .where('deleted_at', 'is', null)
            .where('status', '=', 'active')
            .orderBy(sql`random()`)
            .limit(n)
            .execute()
        ).map((r) => r.id),
      ),
    drop,
  };
  await bench.grow(users);
  return bench;
}

/** JSON request against a running server; throws on a status other than `expect`. */
export async function call(
  base: string,
  method: string,
  path: string,
  o: { body?: unknown; token?: string; expect?: number } = {},
): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  if (res.status !== (o.expect ?? 200)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? { json: JSON.parse(text), bytes: Buffer.byteLength(text) } : { json: undefined, bytes: 0 };
}
