import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from './load.js';
import { startUsher, withCpu } from './processes.js';

/**
 * The metrics' cost on the read path (issue 27): an authenticated GET /api/v1/users/{id} driven by autocannon
 * against Usher (`dist/`, as `npm start` runs it) with metrics off (neither USHER_METRICS_TOKEN nor USHER_METRICS_PORT)
 * and on (USHER_METRICS_TOKEN, scraped every second meanwhile, as Prometheus would every 15 s), in alternating rounds
 * (ABBA: off, on, on, off, …, so neither side always runs first) on one SQLite database. The figure is the ratio of
 * the median throughputs, with the server's CPU per answer beside it (steadier than throughput on a machine other
 * work shares). Part of `npm run bench` (its own section of BENCHMARKS.md; `npm run bench -- --only metrics` runs
 * just this and rewrites just that section), or alone:
 *
 * node scripts/build-server.mjs && node --import tsx bench/metrics-cost.ts [rounds] [seconds]
 */

export interface MetricsRound {
  on: boolean;
  rps: number;
  /** The server's CPU per answer, µs. */
  cpuUs: number;
  p50: number;
  p99: number;
}

export interface MetricsCost {
  /** Rounds per side (each side runs this many times), and each load's length. */
  rounds: number;
  seconds: number;
  measured: MetricsRound[];
  /** Median throughput on / off, and median server CPU per answer on / off. */
  throughputRatio: number;
  cpuRatio: number;
}

const TOKEN = 'bench-metrics-token-0123456789';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The cost, measured in one run: `rounds` rounds of each side, alternating. */
export async function metricsCost(
  o: { rounds?: number; seconds?: number; log?: (line: string) => void } = {},
): Promise<MetricsCost> {
  const rounds = o.rounds ?? 3;
  const seconds = o.seconds ?? 10;
  const log = o.log ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'usher-metrics-cost-'));
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'usher.db')}`,
    LOG_LEVEL: 'warn',
    USHER_RATE_LIMIT: 'off',
    USHER_ADMIN_USERNAME: 'bench_admin',
    USHER_ADMIN_EMAIL: 'bench_admin@example.com',
    USHER_ADMIN_PASSWORD: 'Bench-Password-123!',
  };

  async function round(on: boolean): Promise<MetricsRound> {
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
      await load({ ...target, seconds: Math.min(3, seconds) });
      const scrape =
        on && !process.env.BENCH_NO_SCRAPE
          ? setInterval(
              () => void fetch(`${usher.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }),
              1000,
            )
          : undefined;
      const result = await withCpu(usher.pid, () => load({ ...target, seconds }));
      clearInterval(scrape);
      // A refused answer makes the round meaningless; a few timeouts (under 1%: a machine other work shares) do not.
      if (result.non2xx > 0 || result.errors > result.requests / 100)
        throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors of ${result.requests} requests`);
      const r = { on, rps: result.rps, cpuUs: result.cpu?.serverUs ?? Number.NaN, p50: result.p50, p99: result.p99 };
      log(
        `  metrics ${on ? 'on ' : 'off'}: ${Math.round(r.rps)} requests/s, server CPU ${r.cpuUs.toFixed(1)} µs per answer, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
      );
      return r;
    } finally {
      await usher.stop();
    }
  }

  try {
    const measured: MetricsRound[] = [];
    for (let i = 0; i < rounds; i++)
      for (const on of i % 2 === 0 ? [false, true] : [true, false]) measured.push(await round(on));
    const side = (on: boolean) => measured.filter((r) => r.on === on);
    const cost: MetricsCost = {
      rounds,
      seconds,
      measured,
      throughputRatio: median(side(true).map((r) => r.rps)) / median(side(false).map((r) => r.rps)),
      cpuRatio: median(side(true).map((r) => r.cpuUs)) / median(side(false).map((r) => r.cpuUs)),
    };
    log(
      `  metrics on/off: throughput ${cost.throughputRatio.toFixed(3)}, server CPU per answer ${cost.cpuRatio.toFixed(3)}`,
    );
    return cost;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await metricsCost({ rounds: Number(process.argv[2] ?? 3), seconds: Number(process.argv[3] ?? 10) });
