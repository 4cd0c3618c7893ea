import { freshPostgresSchema, tempDir } from '../scripts/fixtures.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createStatsTriggers, dropStatsTriggers } from '../src/db/migrations/0015-activity-stats.js';
import { uuidv7 } from '../src/core/ids.js';
import { seedUsers } from '../src/cli/seed-users.js';

/**
 * What the dashboard's triggers add to a sign-in's writes (issue 27 part 3): the statements of the session starter
 * that they fire on (the user's last_login_at, the `user.login` audit event), `n` sign-ins of distinct users each in
 * its own transaction, with the triggers and without; first sign-ins of the day (the day's and month's active
 * counters move too) and repeats. Usage: node --import tsx bench/dashboard-login-cost.ts sqlite|postgres [n]
 */
const dialect = process.argv[2] ?? 'sqlite';
const n = Number(process.argv[3] ?? 2000);
const url =
  dialect === 'sqlite'
    ? `sqlite:${tempDir('usher-login-cost-')}/usher.db`
    : (await freshPostgresSchema(process.env.BENCH_DATABASE_URL!, 'cost')).url;
const database = createDatabase(url, { poolSize: 4 });
await migrateToLatest(database.db);
await seedUsers(database, { count: n, passwordHash: 'x' });
const ids = (await database.db.selectFrom('users').select('id').limit(n).execute()).map((r) => r.id);

async function signIns(day: string): Promise<number> {
  const started = performance.now();
  for (const id of ids) {
    const at = `${day}T10:00:00.000Z`;
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
      await trx
        .insertInto('audit_events')
        .values({
          id: uuidv7(),
          type: 'user.login',
          actor_id: id,
          target_id: id,
          ip: null,
          user_agent: null,
          created_at: at,
          details: '{}',
        })
        .execute();
    });
  }
  return ((performance.now() - started) * 1000) / ids.length;
}

const rows: string[] = [];
// Two rounds each, alternating (the first warms caches); every round on days of its own.
let round = 0;
for (const [label, triggers] of [
  ['without triggers', false],
  ['with triggers', true],
  ['without triggers', false],
  ['with triggers', true],
] as const) {
  round++;
  if (triggers) await createStatsTriggers(database.db);
  else await dropStatsTriggers(database.db);
  const year = String(2030 + round);
  const first = await signIns(`${year}-01-01`);
  const again = await signIns(`${year}-01-01`);
  if (round > 2)
    rows.push(`${dialect} ${label}: first sign-in of the day ${first.toFixed(0)} µs, again ${again.toFixed(0)} µs`);
}
console.log(rows.join('\n'));
await database.close();
