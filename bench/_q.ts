import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createUserLister } from '../src/core/users/user.list.js';
const d = createDatabase(process.env.DATABASE_URL!);
await migrateToLatest(d.db);
const l = createUserLister(d, Date.now);
for (const [label, q] of [['garcia_12345', { search: 'garcia_12345' }], ['muller_12345', { search: 'muller_12345' }], ['smith', { search: 'smith' }], ['ab', { search: 'ab' }], ['none', {}], ['username', { sort: 'username' }]] as const) {
  const base = { sort: 'created_at', order: 'desc', limit: 20, offset: 0, ...q } as any;
  const times: number[] = [];
  let r;
  for (let i = 0; i < 6; i++) { const t = process.hrtime.bigint(); r = await l.list(base); times.push(Number(process.hrtime.bigint() - t) / 1e6); }
  console.log(label.padEnd(14), times.map((x) => x.toFixed(1)).join(' '), 'ms; total', r!.total, 'rows', r!.users.length);
}
await d.close();
