import { createDatabase } from '/work/main/src/db/database.ts';
import { migrateToLatest } from '/work/main/src/db/migrate.ts';
const db = createDatabase('postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dtmpl_probe%2Cpublic');
await migrateToLatest(db.db); await db.close();
