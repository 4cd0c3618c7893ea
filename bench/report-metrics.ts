import type { MetricsCost } from './metrics-cost.js';

/** The most the metrics may take of the read path's throughput (issue 27): 5%. */
export const METRICS_COST_TARGET = 0.05;

const START = '<!-- metrics-cost: written by npm run bench (-- --only metrics rewrites only this section) -->';
const END = '<!-- /metrics-cost -->';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** BENCHMARKS.md's section on the metrics' cost, between markers so `--only metrics` can replace it alone. */
export function metricsSection(m: MetricsCost | undefined, quick: boolean, date?: string): string[] {
  const lines = [START, '## What the metrics cost on the read path', ''];
  if (!m) return [...lines, 'Not measured in this run.', '', END];
  const cost = 1 - m.throughputRatio;
  const side = (on: boolean) => m.measured.filter((r) => r.on === on).map((r) => r.rps);
  const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  // The spread of one setting's rounds, as a share of its median: a run whose rounds differ by more than twice the
  // target among themselves cannot tell a 5% cost from none, and says so rather than ticking or crossing.
  const spreadOf = (xs: number[]) =>
    (Math.max(...xs) - Math.min(...xs)) / [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const spread = Math.max(spreadOf(side(false)), spreadOf(side(true)));
  const conclusive = spread <= 2 * METRICS_COST_TARGET;
  const met = quick ? '' : !conclusive ? ', not decided by this run' : cost <= METRICS_COST_TARGET ? ' ✓' : ' ✗';
  lines.push(
    `An authenticated GET /api/v1/users/{id} (SQLite, 50 connections, ${m.seconds} s a round after a warm-up) with the metrics off (neither USHER_METRICS_TOKEN nor USHER_METRICS_PORT) and on (USHER_METRICS_TOKEN, /metrics scraped every second meanwhile), ${m.rounds} rounds each, alternating (off, on, on, off, …) in one run${date ? ` (${date})` : ''}, each round a fresh \`npm start\` process.`,
    '',
    `Throughput with metrics on / off (medians): **${m.throughputRatio.toFixed(3)}**, a cost of **${pct(cost)}** (target ≤ ${pct(METRICS_COST_TARGET)}${met}); the server's CPU per answer on / off: ${m.cpuRatio.toFixed(3)}. Rounds ranged ${range(side(false))} req/s off and ${range(side(true))} req/s on, a spread of up to ${pct(spread)} of a setting's median${conclusive ? '' : ': larger than twice the target, so the machine (shared with other work) moved more between rounds than the target allows, and this ratio does not measure what the metrics cost; run it again on a quiet machine'}.`,
    '',
    '| Round | Metrics | req/s | Server µs/answer | p50 ms | p99 ms |',
    '|---:|---|---:|---:|---:|---:|',
  );
  m.measured.forEach((r, i) =>
    lines.push(
      `| ${i + 1} | ${r.on ? 'on' : 'off'} | ${Math.round(r.rps)} | ${r.cpuUs.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
    ),
  );
  return [...lines, '', END];
}

/** `markdown` with its metrics section replaced by `section` (added before the cost curves' chart when missing). */
export function withMetricsSection(markdown: string, section: string[]): string {
  const text = section.join('\n');
  const from = markdown.indexOf(START);
  const to = markdown.indexOf(END);
  if (from >= 0 && to > from) return markdown.slice(0, from) + text + markdown.slice(to + END.length);
  const at = markdown.indexOf('## Cost curves');
  return at >= 0 ? `${markdown.slice(0, at)}${text}\n\n${markdown.slice(at)}` : `${markdown.trimEnd()}\n\n${text}\n`;
}
