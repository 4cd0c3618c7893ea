import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { PASSWORD, seededDatabase } from './setup.js';

/**
 * The dashboard's summary at scale (issue 27 part 3): seeds `--users` users (1,000,000 by default) into a SQLite
 * file or a PostgreSQL schema (BENCH_DATABASE_URL), fills 30 days of busy hourly counters in every shard (the
 * summary's worst case), and times GET /api/v1/stats/summary through the app (inject): the median of 15 after one
 * warm-up. Usage: node --import tsx bench/dashboard.ts sqlite|postgres [users]
 */
const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const users = Number(process.argv[3] ?? 1_000_000);
const log = (s: string) => console.log(s);

const started = Date.now();
const bench = await seededDatabase(dialect, users, log);
log(`${dialect}: seeded ${users} users in ${((Date.now() - started) / 1000).toFixed(0)} s`);
try {
  const database = createDatabase(bench.url, { poolSize: 4 });
  const now = Date.now();
  const rows: Array<{ name: string; shard: number; count: number }> = [];
  for (let h = 0; h < 30 * 24; h++) {
    const hour = new Date(now - h * 3_600_000).toISOString().slice(0, 13);
    for (const type of ['user.created', 'user.login', 'user.login_failed', 'user.mfa_failed'])
      for (let shard = 0; shard < 8; shard++) rows.push({ name: `h:${hour}:${type}`, shard, count: 50 });
  }
  for (let d = 0; d < 30; d++)
    rows.push({ name: `dau:${new Date(now - d * 86_400_000).toISOString().slice(0, 10)}`, shard: 0, count: 1000 });
  for (let i = 0; i < rows.length; i += 500) {
    await database.db
      .insertInto('stats_counters')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['name', 'shard']).doNothing())
      .execute();
  }
  if (dialect === 'postgres') await sql`analyze stats_counters`.execute(database.db);
  const config = loadConfig({
    DATABASE_URL: bench.url,
    LOG_LEVEL: 'silent',
    USHER_RATE_LIMIT: 'off',
    USHER_ADMIN_USERNAME: 'bench_admin',
    USHER_ADMIN_EMAIL: 'bench-admin@example.com',
    USHER_ADMIN_PASSWORD: PASSWORD,
  });
  const app = await buildApp(config, { database });
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'bench_admin', password: PASSWORD },
  });
  const token = login.json().access_token as string;
  const times: number[] = [];
  let body: any;
  for (let i = 0; i < 16; i++) {
    const t0 = process.hrtime.bigint();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/stats/summary',
      headers: { authorization: `Bearer ${token}` },
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.statusCode !== 200) throw new Error(res.body);
    body = res.json().data;
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  log(
    `${dialect} ${users} users: summary median ${times[7]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)} ms; users.total ${body.users.total}, counter rows ${rows.length}`,
  );
  await app.close();
  await database.close();
} finally {
  await bench.drop();
}
