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
  const met = quick ? '' : cost <= METRICS_COST_TARGET ? ' ✓' : ' ✗';
  const side = (on: boolean) => m.measured.filter((r) => r.on === on).map((r) => r.rps);
  const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  lines.push(
    `An authenticated GET /api/v1/users/{id} (SQLite, 50 connections, ${m.seconds} s a round after a warm-up) with the metrics off (neither USHER_METRICS_TOKEN nor USHER_METRICS_PORT) and on (USHER_METRICS_TOKEN, /metrics scraped every second meanwhile), ${m.rounds} rounds each, alternating (off, on, on, off, …) in one run${date ? ` (${date})` : ''}, each round a fresh \`npm start\` process.`,
    '',
    `Throughput with metrics on / off (medians): **${m.throughputRatio.toFixed(3)}**, a cost of **${pct(cost)}** (target ≤ ${pct(METRICS_COST_TARGET)}${met}); the server's CPU per answer on / off: ${m.cpuRatio.toFixed(3)}. Rounds ranged ${range(side(false))} req/s off and ${range(side(true))} req/s on: on a shared machine one round's spread is larger than the cost measured, which is why the ratio is of medians of alternating rounds.`,
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
