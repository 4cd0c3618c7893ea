import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
const app = await buildApp(loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', USHER_RATE_LIMIT: 'off' }));
const core = app.core;
const u = await core.users.create(null, { username: 'bench_u', email: 'b@example.com', password: 'SecurePass123!' });
const t = await core.auth.login({ username: 'bench_u', password: 'SecurePass123!' });
const p = await core.auth.authenticateToken(t.accessToken);
async function time(label: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 1000; i++) await fn();
  const s = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  console.log(label, (Number(process.hrtime.bigint() - s) / n / 1000).toFixed(1), 'µs');
}
await time('authenticateToken', 20000, () => core.auth.authenticateToken(t.accessToken));
await time('users.get', 20000, () => core.users.get(p, u.id));
await time('inject GET user', 5000, () => app.inject({ method: 'GET', url: `/api/v1/users/${u.id}`, headers: { authorization: `Bearer ${t.accessToken}` } }));
await time('inject GET health', 5000, () => app.inject({ method: 'GET', url: '/health' }));
await app.close();
