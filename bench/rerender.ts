/**
 * node --import tsx bench/rerender.ts [bench/results/full.json]
 * Writes BENCHMARKS.md again from a saved full run (the JSON `npm run bench`
 * leaves in bench/results/) and the header of the current BENCHMARKS.md: the
 * same figures, with the prose of the current bench/report.ts (a full run:
 * 1,000,000 users, 10 s runs, 5 s curve points).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { informational, p95Below, p99Below, ratioAtLeast, report } from './report.js';
const run = JSON.parse(readFileSync(process.argv[2] ?? 'bench/results/full.json', 'utf8'));
// Targets are functions, not saved: rebuilt from their text.
for (const d of run.results) for (const row of d.rows) {
  const t: string = row.target.text;
  const ratio = /^≥ ([\d.]+)x/.exec(t), p95 = /^p95 < (\d+) ms/.exec(t), p99 = /^p99 < (\d+) ms/.exec(t);
  row.target = ratio ? ratioAtLeast(Number(ratio[1]), t) : p95 ? p95Below(Number(p95[1])) : p99 ? p99Below(Number(p99[1])) : informational(t);
}
const old = readFileSync('BENCHMARKS.md', 'utf8');
const machine = /^- Machine: (.*)$/m.exec(old)![1]!;
const [, node, commit, date] = /^- Node\.js (\S+); commit (\w+); (\S+)$/m.exec(old)!;
writeFileSync('BENCHMARKS.md', report({ quick: false, users: 1_000_000, seconds: 10, machine, node: node!, date: date!, commit: commit!, argon: run.argon, results: run.results, profiles: run.profiles, curveSeconds: 5, chart: 'docs/images/bench-cost-curves.svg' }));
