import { CURVE_KINDS } from './curves.js';
import { startFlags } from './processes.js';
import { metricsSection } from './report-metrics.js';
import { organizationsSection } from './report-organizations.js';
import { FINDINGS } from './report-prose.js';
import {
  type Report,
  type Row,
  IMPORT_TARGET,
  RSS_TARGET_MB,
  SEED_TARGET_S,
  met,
  misses,
  outcomes,
  targets,
  verdict,
  f0,
  ms,
} from './report-targets.js';

export {
  type Report,
  type Row,
  type Target,
  informational,
  p95Below,
  p99Below,
  ratioAtLeast,
  rpsAtLeast,
} from './report-targets.js';

function cpuTable(rows: Row[]): string[] {
  const measured = rows.filter((r) => /^\((1|4)\)/.test(r.name) && r.usher.cpu && r.baseline.cpu);
  if (measured.length === 0) return [];
  const lines = [
    "CPU per answered request in scenarios (1) and (4), from /proc (the server, all its threads) and from the benchmark's own process (autocannon, the load generator, one thread: at about 1,000,000 µs a second it is the limit); the last column is both together as a share of all the machine's cores over the run. A database server's own CPU (PostgreSQL's) is in neither column.",
    '',
    '| Scenario | Server | req/s | Server µs/request | Load generator µs/request | Server + load generator, % of all cores |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const r of measured) {
    const same = r.baseline.sameClient;
    const servers = [
      { label: 'Usher', rps: r.usher.rps, cpu: r.usher.cpu },
      { label: same ? 'raw node:http, a fixed body' : 'raw node:http', rps: r.baseline.rps, cpu: r.baseline.cpu },
      ...(same ? [same] : []),
    ];
    for (const { label, rps, cpu } of servers) {
      if (cpu)
        lines.push(
          `| ${r.name} | ${label} | ${f0(rps)} | ${cpu.serverUs.toFixed(0)} | ${cpu.loadUs.toFixed(0)} | ${cpu.machinePercent.toFixed(0)}% |`,
        );
    }
  }
  lines.push('');
  return lines;
}

/** BENCHMARKS.md, every figure from this run. */
export function report(r: Report): string {
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    r.quick
      ? '**Quick mode** (small data, short runs): proves the harness works; the figures mean little.'
      : "Written by `npm run bench`; every figure in the tables comes from the run described here (the prose after them cites earlier and scratch measurements, and says so). Ratios compare Usher with a baseline measured in the same run on the same machine, one after the other (never at the same time). On a shared virtual machine, figures (the baseline's too) move by tens of percent from one run to the next; the side-by-side ratios damp that, but a target close to its line can fall either side of it between runs.",
    '',
  );
  lines.push(`- Machine: ${r.machine}`, `- Node.js ${r.node}; commit ${r.commit}; ${r.date}`);
  lines.push(
    `- ${f0(r.users)} seeded users per database (after the cost curves' smaller sizes); each run ${r.seconds} s with autocannon, 50 connections, after a 1 s warm-up; rate limiting off; logging at \`info\` to /dev/null. Usher runs as \`npm start\` runs it: \`${['node', ...startFlags(), 'dist/server.js'].join(' ')}\`, the build \`npm ci\` makes.`,
  );
  lines.push(
    `- Raw argon2id at Usher's parameters (m=19 MiB, t=2, p=1), as many at once as there are cores, in a separate process: **${r.argon.verify.toFixed(1)} verifies/s**, **${r.argon.hash.toFixed(1)} hashes/s** at the start of the run; scenarios (3) and (5) are compared with raw argon2id measured again just before each.`,
  );
  lines.push('');
  const all = outcomes(r);
  lines.push(...targets(r, all));
  for (const d of r.results) {
    lines.push(`## ${d.dialect === 'sqlite' ? 'SQLite (embedded)' : 'PostgreSQL'}`, '');
    lines.push(
      `Seeding ${f0(r.users)} users took ${d.seedSeconds.toFixed(1)} s (target < ${SEED_TARGET_S} s${verdict(r.quick ? undefined : d.seedSeconds < SEED_TARGET_S)}). Peak RSS of the Usher process over the whole run: **${d.peakMb} MB** (target < ${RSS_TARGET_MB} MB${verdict(d.peakMb < RSS_TARGET_MB)}).`,
      '',
    );
    lines.push(
      '| Scenario | req/s | p50 ms | p95 ms | p99 ms | Baseline | Baseline req/s | Ratio | Peak RSS MB | Target |',
    );
    lines.push('|---|---:|---:|---:|---:|---|---:|---:|---:|---|');
    for (const row of d.rows) {
      const ratio = row.baseline.rps > 0 ? `${(row.usher.rps / row.baseline.rps).toFixed(2)}x` : '';
      lines.push(
        `| ${row.name} | ${f0(row.usher.rps)} | ${ms(row.usher.p50)} | ${ms(row.usher.p95)} | ${ms(row.usher.p99)} | ${row.baseline.label} | ${row.baseline.rps ? f0(row.baseline.rps) : ''} | ${ratio} | ${row.usher.rssMb} | ${row.target.text}${verdict(met(row))} |`,
      );
    }
    lines.push('');
    lines.push(...cpuTable(d.rows));
    lines.push(
      `The realistic mix (8), ${r.seconds} s at 50 connections, each a signed-in user: 60% reads of itself, 20% pages of the user list (half of them searches), 10% refreshes, 5% logins, 5% writes of its own profile.`,
      '',
    );
    lines.push('| Kind | Share | req/s | p50 ms | p99 ms | Failed |', '|---|---:|---:|---:|---:|---:|');
    const all = d.mix.reduce((n, m) => n + m.requests, 0) || 1;
    for (const m of d.mix)
      lines.push(
        `| ${m.kind} | ${((m.requests / all) * 100).toFixed(0)}% | ${f0(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.failed} |`,
      );
    lines.push(
      `| all | 100% | ${f0(d.mix.reduce((n, m) => n + m.rps, 0))} | | | ${d.mix.reduce((n, m) => n + m.failed, 0)} |`,
      '',
    );
    lines.push(
      `Cost curves: p95 ms of each kind alone, ${r.curveSeconds} s at 10 connections (logins at 4, offset pages at 2), as the database grows.`,
      '',
    );
    lines.push(
      `| Users | ${CURVE_KINDS.map((k) => k.label).join(' | ')} |`,
      `|---:|${CURVE_KINDS.map(() => '---:').join('|')}|`,
    );
    for (const p of d.curve) lines.push(`| ${f0(p.users)} | ${CURVE_KINDS.map((k) => ms(p.p95[k.key])).join(' | ')} |`);
    lines.push('');
    lines.push(
      `\`npm start\` to the first answer of GET /health (migrated database of ${f0(r.users)} users, npm included): ${d.startMs.map((t) => `${f0(t)} ms`).join(', ')}.`,
      '',
    );
    const c = d.consolePage;
    lines.push(
      c
        ? `The console's first page of users (a cold page load in Chromium: the session restored from its cookie, one list call, the first row shown): median **${ms(c.medianMs)} ms**, worst ${ms(c.worstMs)} ms of 5 (target < 1 s${verdict(r.quick ? undefined : c.worstMs < 1000)}).`
        : 'The console was not measured: Chromium (/usr/bin/chromium) is not installed.',
      '',
    );
    const i = d.imports;
    lines.push(
      `\`usher import\` into an empty database: ${f0(i.hashedRows)} rows carrying bcrypt hashes at **${f0(i.hashedPerSecond)} rows/s** (target ≥ 10,000 on SQLite${verdict(d.dialect === 'sqlite' && !r.quick ? i.hashedPerSecond >= IMPORT_TARGET : undefined)}); ${f0(i.plainRows)} rows with plain passwords at **${f0(i.plainPerSecond)} rows/s**, bounded by argon2id (raw: ${r.argon.hash.toFixed(1)} hashes/s).`,
      '',
    );
  }
  lines.push(...metricsSection(r.metricsCost, r.quick, r.date), '');
  lines.push(...organizationsSection(r.organizations), '');
  lines.push(
    '## Cost curves',
    '',
    `![p95 latency of each kind of request at each size, both databases](${r.chart})`,
    '',
  );
  lines.push(FINDINGS, '');
  lines.push(...misses(r, all));
  for (const [title, scenario, profile] of [
    ['Where a read spends its time', '(1)', r.profiles.read],
    ['Where a refresh spends its time', '(4)', r.profiles.refresh],
  ] as const) {
    lines.push(`## ${title}`, '');
    lines.push(
      `Scenario ${scenario} run again under \`node --cpu-prof\` (SQLite, ${r.seconds} s, the bundle's functions mapped back to their sources); self time by area, then the hottest functions.`,
      '',
    );
    lines.push('| Area | Self time |', '|---|---:|');
    for (const a of profile.areas.slice(0, 10)) lines.push(`| ${a.area} | ${a.percent}% |`);
    lines.push('', '| Function | Where | Self time |', '|---|---|---:|');
    for (const h of profile.hotspots) lines.push(`| \`${h.name}\` | ${h.where} | ${h.selfPercent}% |`);
    lines.push('');
  }
  return lines.join('\n');
}
