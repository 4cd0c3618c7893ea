import type { OrgRun } from './report-organizations.js';
import type { MetricsCost } from './metrics-cost.js';
import { CURVE_KINDS, type CurvePoint } from './curves.js';
import type { CpuPerRequest } from './processes.js';
import type { LoadResult } from './load.js';
import type { ImportRates } from './import.js';
import type { MixRow } from './mix.js';
import type { summarise } from './profile.js';
import { type TargetKey, WHY } from './report-prose.js';

/** The report's targets: each row's target, the outcome of every target of a run, and the reason for each miss. */

export interface Row {
  dialect: string;
  name: string;
  usher: LoadResult & { rssMb: number; cpu?: CpuPerRequest };
  /**
   * `sameClient`: the refresh's raw server again, driven by the same token-chaining client as Usher (shown, not
   * judged).
   */
  baseline: {
    label: string;
    rps: number;
    cpu?: CpuPerRequest;
    sameClient?: { label: string; rps: number; cpu?: CpuPerRequest };
  };
  target: Target;
}

/**
 * A scenario's target from the issue, as data (a saved run's JSON keeps it): a ratio to reach, a latency to stay under,
 * or none.
 */
export interface Target {
  text: string;
  kind: 'ratio' | 'rps' | 'p95' | 'p99' | 'none';
  limit?: number;
}

export const ratioAtLeast = (x: number, text: string): Target => ({ text, kind: 'ratio', limit: x });
/** An absolute rate to reach on this machine (the identity provider's grants and introspections, against peers'). */
export const rpsAtLeast = (rps: number, text: string): Target => ({ text, kind: 'rps', limit: rps });
export const p95Below = (ms: number): Target => ({ text: `p95 < ${ms} ms`, kind: 'p95', limit: ms });
export const p99Below = (ms: number): Target => ({ text: `p99 < ${ms} ms`, kind: 'p99', limit: ms });
export const informational = (text: string): Target => ({ text, kind: 'none' });

/** Whether a row meets its target (undefined: nothing to meet). */
export function met(row: Row): boolean | undefined {
  const { kind, limit = 0 } = row.target;
  if (kind === 'ratio') return row.usher.rps / row.baseline.rps >= limit;
  if (kind === 'rps') return row.usher.rps >= limit;
  if (kind === 'p95') return row.usher.p95 < limit;
  if (kind === 'p99') return row.usher.p99 < limit;
  return undefined;
}

export const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? ' ✓' : ' ✗ not met');
export const RSS_TARGET_MB = 200;
export const START_TARGET_MS = 1000;
export const SEED_TARGET_S = 60;
export const IMPORT_TARGET = 10_000;

export interface Report {
  quick: boolean;
  users: number;
  seconds: number;
  machine: string;
  node: string;
  date: string;
  commit: string;
  argon: { verify: number; hash: number };
  results: Array<{
    dialect: string;
    rows: Row[];
    seedSeconds: number;
    peakMb: number;
    imports: ImportRates;
    consolePage: { medianMs: number; worstMs: number } | undefined;
    curve: CurvePoint[];
    mix: MixRow[];
    startMs: number[];
  }>;
  profiles: { read: ReturnType<typeof summarise>; refresh: ReturnType<typeof summarise> };
  curveSeconds: number;
  /** Where the cost curves' chart was written, relative to the report. */
  chart: string;
  /** The metrics' cost on the read path (bench/metrics-cost.ts); absent in runs saved before it was measured. */
  metricsCost?: MetricsCost;
  /** Issue 28's organizations section (bench/organizations.ts); absent in runs saved before it was measured. */
  organizations?: OrgRun;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
/** A curve is flat when its p95 at the largest size is at most twice (plus 2 ms) its p95 at the smallest. */
const flat = (points: CurvePoint[], key: keyof CurvePoint['p95']) =>
  points.at(-1)!.p95[key] <= 2 * points[0]!.p95[key] + 2;

type Result = Report['results'][number];
type Cell = [figure: string, met: boolean, aside?: string];
/** One target of the issue: its label, and per database its figure and whether this run met it. */
interface Outcome {
  key: TargetKey;
  label: string;
  /** Per database: the figure, whether it met the target, and a figure shown beside it (not judged). */
  cells: Map<string, Cell>;
}

export function outcomes(r: Report): Outcome[] {
  const ratio =
    (name: string, min: number) =>
    (d: Result): Cell => {
      const row = d.rows.find((x) => x.name.startsWith(name))!;
      const x = row.usher.rps / row.baseline.rps;
      const same = row.baseline.sameClient;
      return [
        `${x.toFixed(2)}x`,
        x >= min,
        same &&
          `${(row.usher.rps / same.rps).toFixed(2)}x against the raw server driven by the same token-chaining client`,
      ];
    };
  const target = (key: TargetKey, label: string, sqlite: (d: Result) => Cell, postgres = sqlite): Outcome => ({
    key,
    label,
    cells: new Map(r.results.map((d) => [d.dialect, (d.dialect === 'postgres' ? postgres : sqlite)(d)])),
  });
  return [
    target(
      'read',
      'GET /api/v1/users/{id} vs raw node:http: ≥ 0.5x SQLite (aim 0.7x), ≥ 0.35x PostgreSQL',
      ratio('(1)', 0.5),
      ratio('(1)', 0.35),
    ),
    target(
      'refresh',
      'POST /api/v1/auth/refresh vs raw node:http: ≥ 0.3x SQLite, ≥ 0.1x PostgreSQL',
      ratio('(4)', 0.3),
      ratio('(4)', 0.1),
    ),
    target('login', 'POST /api/v1/auth/login vs raw argon2id verifies: ≥ 0.9x', ratio('(3)', 0.9)),
    target(
      'start',
      `\`npm start\` to the first answer, migrated database of ${f0(r.users)} users: < 1 s (median of 3)`,
      (d) => [`${f0(median(d.startMs))} ms`, median(d.startMs) < START_TARGET_MS],
    ),
    target('rss', `Peak RSS at ${f0(r.users)} users: < ${RSS_TARGET_MB} MB`, (d) => [
      `${d.peakMb} MB`,
      d.peakMb < RSS_TARGET_MB,
    ]),
    target('curves', 'Cost curves flat from the smallest size to the largest (all but offset paging)', (d) => {
      const bent = CURVE_KINDS.filter((k) => k.key !== 'offset' && !flat(d.curve, k.key)).map((k) => k.label);
      return [bent.length ? `not flat: ${bent.join(', ')}` : 'flat', bent.length === 0];
    }),
  ];
}

export function targets(r: Report, all: Outcome[]): string[] {
  const lines = ['## Targets', '', '| Target | SQLite | PostgreSQL |', '|---|---|---|'];
  const cell = (o: Outcome, dialect: string) => {
    const c = o.cells.get(dialect);
    return c ? `${c[0]}${verdict(r.quick ? undefined : c[1])}${c[2] ? ` (${c[2]})` : ''}` : 'not run';
  };
  for (const o of all) lines.push(`| ${o.label} | ${cell(o, 'sqlite')} | ${cell(o, 'postgres')} |`);
  lines.push('');
  return lines;
}

/**
 * Why each target this run missed is out of reach here: the paragraphs of the targets missed, in the order of the
 * table.
 */
export function misses(r: Report, all: Outcome[]): string[] {
  if (r.quick) return [];
  const missed = (o: Outcome, dialect: string) => o.cells.get(dialect)?.[1] === false;
  const paragraphs = all.flatMap((o) => WHY.filter((w) => w.key === o.key && missed(o, w.dialect)).map((w) => w.text));
  return paragraphs.length ? ['## Why the targets marked ✗ are not met', '', ...paragraphs, ''] : [];
}

/**
 * What each answer of the HTTP-bound ratio scenarios cost the server and the
 * load generator, Usher's runs against the raw server's: the two share the
 * machine's cores, so a ratio is set by both.
 */

export const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
