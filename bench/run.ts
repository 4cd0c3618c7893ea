import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../scripts/fixtures.js';
import { seededUsername } from '../src/cli/seed-users.js';
import { costChart } from './chart.js';
import { consoleFirstPage } from './console.js';
import { type CurvePoint, costPoint } from './curves.js';
import { importRates } from './import.js';
import { load } from './load.js';
import { metricsCost } from './metrics-cost.js';
import { type MixRow, mixedLoad } from './mix.js';
import { type Child, peakRss, rawArgon2, startBaseline, startUsher } from './processes.js';
import { summarise } from './profile.js';
import { onlyOrganizations, organizationsRun } from './organizations.js';
import { metricsSection, withMetricsSection } from './report-metrics.js';
import { type Report, type Row, report } from './report.js';
import { oidcScenarios } from './scenarios-oidc.js';
import { readScenarios } from './scenarios-reads.js';
import { writeScenarios } from './scenarios-writes.js';
import { ADMIN, CURVE_SECONDS, SECONDS, SIZES, USERS, activeUser, log, quick, refreshLoad } from './settings.js';
import { PASSWORD, call, seededDatabase } from './setup.js';
import { startTimes } from './start.js';

/**
 * npm run bench [-- --quick] [-- --only metrics]
 * Starts Usher (rate limiting off) on a freshly seeded database, and beside it
 * a raw node:http server and raw argon2id, and measures every scenario side by
 * side. SQLite always; PostgreSQL too when BENCH_DATABASE_URL is set. A full
 * run writes BENCHMARKS.md; --quick (small data, short runs) writes
 * bench/results/quick.md and only proves the harness works. `--only metrics`
 * measures only the metrics' cost on the read path and rewrites only its
 * section of the report (and of the saved run, when there is one); `--only organizations` likewise measures
 * and rewrites only the organizations section (issue 28's members and permissions at 100k users).
 */

async function runDialect(
  dialect: 'sqlite' | 'postgres',
  baseline: Child,
): Promise<{
  rows: Row[];
  seedSeconds: number;
  peakMb: number;
  consolePage: Awaited<ReturnType<typeof consoleFirstPage>>;
  curve: CurvePoint[];
  mix: MixRow[];
  startMs: number[];
}> {
  log(`\n## ${dialect}: seeding ${SIZES[0]} users`);
  const db = await seededDatabase(dialect, SIZES[0]!, log);
  let seedSeconds = db.seedSeconds;
  const curve: CurvePoint[] = [];
  let main: Awaited<ReturnType<typeof mainScenarios>> | undefined;
  try {
    for (const size of SIZES) {
      if (size > db.users) {
        log(`  seeding up to ${size} users`);
        await db.grow(size);
        seedSeconds += db.seedSeconds;
      }
      const usher = await startUsher({
        DATABASE_URL: db.url,
        USHER_RATE_LIMIT: 'off',
        // Logins come from many clients, as in production (one address may hold only a small share of the hashing
        // queue).
        USHER_TRUST_PROXY: 'true',
        USHER_ADMIN_USERNAME: ADMIN.username,
        USHER_ADMIN_EMAIL: ADMIN.email,
        USHER_ADMIN_PASSWORD: ADMIN.password,
      });
      try {
        const admin = (
          await call(usher.url, 'POST', '/api/v1/auth/login', {
            body: { username: ADMIN.username, password: PASSWORD },
          })
        ).json.access_token as string;
        const ids = await db.sampleIds(Math.min(10_000, size / 10));
        const point = await costPoint(usher.url, size, {
          admin,
          ids,
          seconds: CURVE_SECONDS,
          activeUser: () => activeUser(size),
        });
        curve.push(point);
        log(`  cost curve at ${size} users: p95 ${JSON.stringify(point.p95)}`);
        if (size === USERS) main = await mainScenarios(dialect, usher, baseline, admin);
      } finally {
        await usher.stop();
      }
    }
    log('  npm start, to the first answer');
    const startMs = await startTimes({ DATABASE_URL: db.url });
    log(`  ${startMs.map((t) => t.toFixed(0)).join(', ')} ms`);
    return { ...main!, seedSeconds, curve, startMs };
  } finally {
    await db.drop();
  }
}

/** Scenarios (1) to (8), on the database at its full size. */
async function mainScenarios(dialect: 'sqlite' | 'postgres', usher: Child, baseline: Child, admin: string) {
  const rows: Row[] = [];
  const reader = (
    await call(usher.url, 'POST', '/api/v1/auth/login', { body: { username: seededUsername(1), password: PASSWORD } })
  ).json.access_token as string;
  const readerId = (await call(usher.url, 'GET', '/api/profile/', { token: reader })).json.id as string;
  const scene = { dialect, usher, baseline, admin, reader, readerId, rows };
  await readScenarios(scene);
  await writeScenarios(scene);
  await oidcScenarios(scene);

  log("  (7) the console's first page of users, in Chromium");
  const consolePage = await consoleFirstPage(usher.url, { username: ADMIN.username, password: ADMIN.password });

  log('  (8) the realistic mix');
  const people = Array.from({ length: 400 }, () => activeUser(USERS));
  const lastNames = [...new Set(Array.from({ length: 900 }, (_, i) => seededUsername(i).split('_')[1]!))];
  const mix = await mixedLoad(usher.url, { seconds: SECONDS, admin, users: people, lastNames });
  log(`  ${mix.map((m) => `${m.kind} ${m.rps.toFixed(0)}/s p99 ${m.p99.toFixed(1)} ms`).join('; ')}`);
  return { rows, peakMb: peakRss(usher.pid), consolePage, mix };
}

/** Scenario (1) or (4) again under --cpu-prof (SQLite, a small database), to show where the time goes. */
async function profiled(kind: 'read' | 'refresh'): Promise<ReturnType<typeof summarise>> {
  const dir = tempDir('usher-prof-');
  const db = await seededDatabase('sqlite', 1000, () => {});
  const usher = await startUsher({ DATABASE_URL: db.url, USHER_RATE_LIMIT: 'off' }, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  const login = async (i: number) =>
    (await call(usher.url, 'POST', '/api/v1/auth/login', { body: { username: seededUsername(i), password: PASSWORD } }))
      .json;
  if (kind === 'read') {
    const token = (await login(1)).access_token as string;
    const me = (await call(usher.url, 'GET', '/api/profile/', { token })).json.id as string;
    await load({
      url: `${usher.url}/api/v1/users/${me}`,
      seconds: SECONDS,
      headers: { authorization: `Bearer ${token}` },
    });
  } else {
    const tokens: string[] = [];
    for (let i = 1; tokens.length < 50; i++) if (i % 20 !== 0) tokens.push((await login(i)).refresh_token);
    await refreshLoad(usher.url, tokens, SECONDS);
  }
  await usher.stop();
  await db.drop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  return summarise(join(dir, file));
}

async function main(): Promise<void> {
  const dialects: Array<'sqlite' | 'postgres'> = process.env.BENCH_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  log(`Usher benchmark (${quick ? 'quick' : 'full'}): ${SIZES.join(', ')} users, ${SECONDS} s per run, 50 connections`);
  const argon = { verify: await rawArgon2('verify', SECONDS), hash: await rawArgon2('hash', SECONDS) };
  log(`raw argon2id: ${argon.verify.toFixed(1)} verifies/s, ${argon.hash.toFixed(1)} hashes/s`);
  const baseline = await startBaseline();
  const results = [];
  try {
    for (const dialect of dialects) {
      const measured = await runDialect(dialect, baseline);
      log(`\n## ${dialect}: usher import`);
      const imports = await importRates(dialect, quick ? 5_000 : 100_000, quick ? 50 : 500, log);
      results.push({ dialect, ...measured, imports });
    }
  } finally {
    await baseline.stop();
  }
  log('\n## the metrics on the read path: on / off');
  const metrics = await metricsCost({ rounds: 3, seconds: SECONDS, log });
  // Issue 28's organizations at 100k users and 1,000 organizations (quick: 2,000 users, 20 organizations).
  const organizations = await organizationsRun(quick, log);
  log('\nprofiling scenarios (1) and (4)');
  const profiles = { read: await profiled('read'), refresh: await profiled('refresh') };
  // The cost curves' chart, beside the report that shows it.
  const chart = quick ? 'bench/results/cost-curves.svg' : 'docs/images/bench-cost-curves.svg';
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(chart, costChart(results.map((r) => ({ dialect: r.dialect, points: r.curve }))));
  const input: Report = {
    quick,
    users: USERS,
    seconds: SECONDS,
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    date: new Date().toISOString(),
    commit: execSync('git rev-parse --short HEAD').toString().trim(),
    argon,
    results,
    profiles,
    curveSeconds: CURVE_SECONDS,
    chart: quick ? 'cost-curves.svg' : 'docs/images/bench-cost-curves.svg',
    metricsCost: metrics,
    organizations,
  };
  const out = quick ? 'bench/results/quick.md' : 'BENCHMARKS.md';
  writeFileSync(out, report(input));
  // The whole run too, for anyone who wants to compare runs (bench/rerender.ts writes the report again from it).
  writeFileSync(`bench/results/${quick ? 'quick' : 'full'}.json`, JSON.stringify(input, null, 2));
  log(`\nwrote ${out}`);
}

/** `--only metrics`: the metrics' cost alone, written into its section of the report (and the saved run). */
async function onlyMetrics(): Promise<void> {
  log(`Usher benchmark, metrics only (${quick ? 'quick' : 'full'}): ${SECONDS} s per round, 3 rounds each side`);
  const measured = await metricsCost({ rounds: 3, seconds: SECONDS, log });
  const out = quick ? 'bench/results/quick.md' : 'BENCHMARKS.md';
  const saved = `bench/results/${quick ? 'quick' : 'full'}.json`;
  if (existsSync(saved)) {
    const run = JSON.parse(readFileSync(saved, 'utf8')) as Report;
    writeFileSync(saved, JSON.stringify({ ...run, metricsCost: measured }, null, 2));
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/metrics.json', JSON.stringify(measured, null, 2));
  const before = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
  writeFileSync(out, withMetricsSection(before, metricsSection(measured, quick, new Date().toISOString())));
  log(`\nwrote the metrics section of ${out}`);
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'metrics' && only !== 'organizations') {
  console.error(`--only ${only}: only "metrics" or "organizations" can be run alone`);
  process.exit(2);
}
(only === 'metrics' ? onlyMetrics() : only === 'organizations' ? onlyOrganizations(quick, log) : main()).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
