import { createDatabase } from '../src/db/database.js';
import { createCore } from '../src/core/core.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
const d = createDatabase(process.env.DATABASE_URL!); await migrateToLatest(d.db);
const core = await createCore(loadConfig({}), d, { hasher: { hash: async () => 'x', verify: async () => true, verifyDummy: async () => {}, needsRehash: () => false } });
const times: number[] = [];
for (let i = 0; i < Number(process.env.N ?? 3000); i++) {
  const t = process.hrtime.bigint();
  const u = `reg_${process.pid}_${i}`;
  await core.users.create(null, { username: u, email: `${u}@example.com`, password: 'SecurePass123!' });
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((a, b) => a - b);
console.log('p50', times[Math.floor(times.length/2)]!.toFixed(2), 'p99', times[Math.floor(times.length*0.99)]!.toFixed(2), 'max', times[times.length-1]!.toFixed(1), 'ms');
await d.close();
