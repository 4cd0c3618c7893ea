/**
 * node --import tsx bench/rerender.ts [bench/results/full.json]
 * Writes BENCHMARKS.md again from a saved run (the JSON `npm run bench`
 * leaves in bench/results/): the same figures, with the prose of the current
 * bench/report.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Report, report } from './report.js';

const run = JSON.parse(readFileSync(process.argv[2] ?? 'bench/results/full.json', 'utf8')) as Report;
writeFileSync(run.quick ? 'bench/results/quick.md' : 'BENCHMARKS.md', report(run));
