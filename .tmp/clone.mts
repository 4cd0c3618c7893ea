import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createDatabase } from '/work/main/src/db/database.ts';
import { migrateToLatest } from '/work/main/src/db/migrate.ts';
const raw = readFileSync('/tmp/dump.sql', 'utf8').split('\n').filter((l) => !l.startsWith('\\') && !l.startsWith('SET ') && !l.startsWith('SELECT pg_catalog.set_config') && !l.startsWith('--')).join('\n');
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }); await c.connect();
for (let i = 0; i < 5; i++) {
  const name = `t_clone${i}_${Date.now()}`;
  const t0 = performance.now();
  await c.query(raw.replaceAll('tmpl_probe', name));
  const t1 = performance.now();
  const db = createDatabase(`postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3D${name}%2Cpublic`);
  const done = await migrateToLatest(db.db);
  const t2 = performance.now();
  await db.close();
  await c.query(`drop schema ${name} cascade`);
  console.log('clone', (t1 - t0).toFixed(0), 'migrate', (t2 - t1).toFixed(0), done.length);
}
await c.end();
