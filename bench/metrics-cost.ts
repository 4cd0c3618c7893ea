import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './load.js';
import { startUsher, withCpu } from './processes.js';

/**
 * The metrics' cost on the read path (issue 27): an authenticated GET /api/v1/users/{id} driven by autocannon
 * against Usher (`dist/`, as `npm start` runs it) with metrics off (neither USHER_METRICS_TOKEN nor USHER_METRICS_PORT)
 * and on (USHER_METRICS_TOKEN, scraped every second meanwhile, as Prometheus would every 15 s), in alternating rounds
 * on one SQLite database. Prints each round, the ratio of the median throughputs, and the server's CPU per answer
 * (steadier than throughput on a machine other work shares).
 *
 * node scripts/build-server.mjs && node --import tsx bench/metrics-cost.ts [rounds] [seconds]
 */
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 10);
const TOKEN = 'bench-metrics-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'usher-metrics-cost-'));
const env = {
  DATABASE_URL: `sqlite:${join(dir, 'usher.db')}`,
  LOG_LEVEL: 'warn',
  USHER_RATE_LIMIT: 'off',
  USHER_ADMIN_USERNAME: 'bench_admin',
  USHER_ADMIN_EMAIL: 'bench_admin@example.com',
  USHER_ADMIN_PASSWORD: 'Bench-Password-123!',
};

async function round(on: boolean): Promise<{ rps: number; cpuUs: number }> {
  const usher = await startUsher(on ? { ...env, USHER_METRICS_TOKEN: TOKEN } : env);
  try {
    const login = await fetch(`${usher.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: env.USHER_ADMIN_USERNAME, password: env.USHER_ADMIN_PASSWORD }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const id = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
    const target = { url: `${usher.url}/api/v1/users/${id}`, headers: { authorization: `Bearer ${token}` } };
    await load({ ...target, seconds: 3 });
    const scrape =
      on && !process.env.BENCH_NO_SCRAPE
        ? setInterval(() => void fetch(`${usher.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }), 1000)
        : undefined;
    const result = await withCpu(usher.pid, () => load({ ...target, seconds }));
    clearInterval(scrape);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    const cpuUs = result.cpu?.serverUs ?? Number.NaN;
    console.log(
      `metrics ${on ? 'on ' : 'off'}: ${Math.round(result.rps)} requests/s, server CPU ${cpuUs.toFixed(1)} µs per answer, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
    );
    return { rps: result.rps, cpuUs };
  } finally {
    await usher.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const off: { rps: number; cpuUs: number }[] = [];
  const on: { rps: number; cpuUs: number }[] = [];
  // ABBA order (off, on, on, off, …), so neither side always runs first after the other.
  for (let i = 0; i < rounds; i++) {
    for (const metricsOn of i % 2 === 0 ? [false, true] : [true, false])
      (metricsOn ? on : off).push(await round(metricsOn));
  }
  const rps = [median(off.map((r) => r.rps)), median(on.map((r) => r.rps))] as const;
  const cpu = [median(off.map((r) => r.cpuUs)), median(on.map((r) => r.cpuUs))] as const;
  console.log(
    `median throughput off ${Math.round(rps[0])}/s, on ${Math.round(rps[1])}/s: on/off ${(rps[1] / rps[0]).toFixed(3)}`,
  );
  console.log(
    `median server CPU per answer off ${cpu[0].toFixed(1)} µs, on ${cpu[1].toFixed(1)} µs: on/off ${(cpu[1] / cpu[0]).toFixed(3)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
