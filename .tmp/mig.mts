import { freshPostgresSchema } from '/work/main/scripts/fixtures.ts';
import { createDatabase } from '/work/main/src/db/database.ts';
import { migrateToLatest } from '/work/main/src/db/migrate.ts';
const base = 'postgres://postgres@127.0.0.1:5432/test';
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const s = await freshPostgresSchema(base);
  const t1 = performance.now();
  const db = createDatabase(s.url);
  await migrateToLatest(db.db);
  const t2 = performance.now();
  await migrateToLatest(db.db);
  const t3 = performance.now();
  await db.close(); await s.drop();
  console.log('schema', (t1-t0).toFixed(0), 'migrate', (t2-t1).toFixed(0), 'again', (t3-t2).toFixed(0), 'drop', (performance.now()-t3).toFixed(0));
}
