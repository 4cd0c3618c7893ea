import type { LoadResult } from './load.js';
import type { summarise } from './profile.js';

export interface Row {
  dialect: string;
  name: string;
  usher: LoadResult & { rssMb: number };
  baseline: { label: string; rps: number };
  target: string;
}

export interface Report {
  quick: boolean;
  users: number;
  seconds: number;
  machine: string;
  node: string;
  date: string;
  commit: string;
  argon: { verify: number; hash: number };
  results: Array<{ dialect: string; rows: Row[]; seedSeconds: number; peakMb: number }>;
  profile: ReturnType<typeof summarise>;
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

/** BENCHMARKS.md, every figure from this run. */
export function report(r: Report): string {
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    r.quick
      ? '**Quick mode** (small data, short runs): proves the harness works; the figures mean little.'
      : 'Written by `npm run bench`; every figure below comes from the run described here. Ratios compare Usher with a baseline measured in the same run on the same machine, one after the other (never at the same time).',
    '',
  );
  lines.push(`- Machine: ${r.machine}`, `- Node.js ${r.node}; commit ${r.commit}; ${r.date}`);
  lines.push(`- ${f0(r.users)} seeded users per database; each run ${r.seconds} s with autocannon, 50 connections, after a 1 s warm-up; rate limiting off; logging at \`info\` to /dev/null.`);
  lines.push(`- Raw argon2id at Usher's parameters (m=19 MiB, t=2, p=1), as many at once as there are cores, in a separate process: **${r.argon.verify.toFixed(1)} verifies/s**, **${r.argon.hash.toFixed(1)} hashes/s**.`);
  lines.push('');
  for (const d of r.results) {
    lines.push(`## ${d.dialect === 'sqlite' ? 'SQLite (embedded)' : 'PostgreSQL'}`, '');
    lines.push(`Seeding ${f0(r.users)} users took ${d.seedSeconds.toFixed(1)} s. Peak RSS of the Usher process over the whole run: **${d.peakMb} MB**.`, '');
    lines.push('| Scenario | req/s | p50 ms | p95 ms | p99 ms | Baseline | Baseline req/s | Ratio | Peak RSS MB | Target |');
    lines.push('|---|---:|---:|---:|---:|---|---:|---:|---:|---|');
    for (const row of d.rows) {
      const ratio = row.baseline.rps > 0 ? `${(row.usher.rps / row.baseline.rps).toFixed(2)}x` : '';
      lines.push(
        `| ${row.name} | ${f0(row.usher.rps)} | ${ms(row.usher.p50)} | ${ms(row.usher.p95)} | ${ms(row.usher.p99)} | ${row.baseline.label} | ${row.baseline.rps ? f0(row.baseline.rps) : ''} | ${ratio} | ${row.usher.rssMb} | ${row.target} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Where a read spends its time', '');
  lines.push(`Scenario (1) run again under \`node --cpu-prof\` (SQLite, ${r.seconds} s); self time by area, then the hottest functions.`, '');
  lines.push('| Area | Self time |', '|---|---:|');
  for (const a of r.profile.areas.slice(0, 10)) lines.push(`| ${a.area} | ${a.percent}% |`);
  lines.push('', '| Function | Where | Self time |', '|---|---|---:|');
  for (const h of r.profile.hotspots) lines.push(`| \`${h.name}\` | ${h.where} | ${h.selfPercent}% |`);
  lines.push('');
  return lines.join('\n');
}
