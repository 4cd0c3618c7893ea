import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedUsers } from '../src/db/seed.js';
import { rmSync } from 'node:fs';
rmSync('/tmp/sp.db', { force: true }); rmSync('/tmp/sp.db-wal', { force: true });
const d = createDatabase(process.env.DB ?? 'sqlite:/tmp/sp.db'); await migrateToLatest(d.db);
import { sql } from 'kysely';
if (process.env.CACHE) await sql.raw(`pragma cache_size = -${process.env.CACHE}`).execute(d.db);

const t = Date.now();
await seedUsers(d.db, { count: Number(process.env.N ?? 100_000), passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$xxxxxxxxxxxxxxxxxxxxxx$yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy' });
console.log('seeded in', Date.now() - t, 'ms');
if (process.env.NOFTS) { const r = Date.now(); await sql`insert into users_search(users_search) values ('rebuild')`.execute(d.db); console.log('rebuild', Date.now() - r, 'ms'); }
await d.close();
