import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
import Fastify from 'fastify';
import { spawn } from 'node:child_process';
if (process.argv[2] === 'server') {
  const app = Fastify({ logger: false });
  const body = { data: { id: 'x'.repeat(36), username: 'jessica_muller_12345', email: 'jessica@example.com', first_name: 'Jessica', last_name: 'Muller', phone_number: null, date_of_birth: null, bio: null, profile_picture_url: null, role: 'user', status: 'active', preferences: { theme: 'system', notifications: true }, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), last_login: null }, meta: { timestamp: new Date().toISOString(), version: '1.0' } };
  app.get('/u/:id', async () => body);
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
} else {
  const { load } = await import('./load.js');
  const { freePort } = await import('./processes.js');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/_bare.ts', 'server'], { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}/u/abc`;
  for (let i = 0; i < 100; i++) { try { await fetch(url); break; } catch { await new Promise((r) => setTimeout(r, 100)); } }
  const cpu = () => { const f = require('node:fs').readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10_000; };
  await load({ url, seconds: 1, headers: { authorization: 'Bearer ' + 'x'.repeat(280) } });
  const c0 = cpu();
  const r = await load({ url, seconds: 5, headers: { authorization: 'Bearer ' + 'x'.repeat(280) } });
  console.log('bare fastify', { rps: Math.round(r.rps), cpuUsPerReq: ((cpu() - c0) / r.requests).toFixed(1) });
  child.kill();
}
