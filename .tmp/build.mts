import { buildApp } from '/work/main/src/app.ts';
import { loadConfig } from '/work/main/src/config.ts';
import { createDatabase } from '/work/main/src/db/database.ts';
import { freshPostgresSchema } from '/work/main/scripts/fixtures.ts';
const pgmode = process.argv[2] === 'pg';
for (let i = 0; i < 6; i++) {
  const s = pgmode ? await freshPostgresSchema('postgres://postgres@127.0.0.1:5432/test') : undefined;
  const config = loadConfig({ DATABASE_URL: s ? s.url : 'sqlite::memory:', LOG_LEVEL: 'silent', USHER_RATE_LIMIT: 'off', USHER_ADMIN_USERNAME: 'root_admin', USHER_ADMIN_EMAIL: 'root@example.com', USHER_ADMIN_PASSWORD: 'SecurePass123!', USHER_PASSWORD_HASH_CONCURRENCY: '2' });
  const t0 = performance.now();
  const database = createDatabase(config.databaseUrl);
  const app = await buildApp(config, { database });
  const t1 = performance.now();
  await app.ready();
  const t2 = performance.now();
  const r = await app.inject({ method: 'GET', url: '/api/v1/health' });
  const t3 = performance.now();
  await app.close(); await database.close(); if (s) await s.drop();
  console.log('build', (t1 - t0).toFixed(0), 'ready', (t2 - t1).toFixed(0), 'first', (t3 - t2).toFixed(0), r.statusCode);
}
