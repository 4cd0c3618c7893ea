import type { OrgShape } from './organizations-seed.js';

/** What bench/organizations.ts measures. */
export interface OrgRow {
  name: string;
  /** Counts toward the 20 ms target. */
  target: boolean;
  n: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface OrgDialect {
  dialect: 'sqlite' | 'postgres';
  users: number;
  organizations: number;
  memberships: number;
  large: number;
  small: number;
  seedSeconds: number;
  loadAverage: number[];
  /** The machine's cores (absent in runs saved before it was kept). */
  cores?: number;
  rows: OrgRow[];
}
export interface OrgRun {
  date: string;
  quick: boolean;
  shape: OrgShape;
  dialects: OrgDialect[];
}

/** Issue 28's target for listing members and resolving permissions, at 100k users and 1,000 organizations. */
export const ORG_TARGET_MS = 20;

const START = '<!-- organizations: written by npm run bench (-- --only organizations rewrites only this section) -->';
const END = '<!-- /organizations -->';

const f0 = (x: number) => Math.round(x).toLocaleString('en-US');

/** BENCHMARKS.md's organizations section, between markers so `--only organizations` can replace it alone. */
export function organizationsSection(run: OrgRun | undefined): string[] {
  const lines = [START, '## Organizations: members and permissions at scale', ''];
  if (!run) return [...lines, 'Not measured in this run.', '', END];
  const s = run.shape;
  const small = s.organizations - s.large.count - s.medium.count;
  lines.push(
    `Issue 28's target: at 100k users and 1,000 organizations, listing an organization's members and resolving a token's permissions stay under ${ORG_TARGET_MS} ms p95. Measured ${run.date}${run.quick ? ' (quick mode: small data, not the target sizes)' : ''}.`,
    '',
    `Data: the users from the seeder's bulk load, then ${f0(s.organizations)} organizations with a skew like a B2B product's customers: ${s.large.count} with ${f0(s.large.members)} members, ${s.medium.count} with ${f0(s.medium.members)}, and ${f0(small)} with ${f0(s.small)}. Members are drawn at random from all users (one user may be in several organizations) and joined at random times over a year. Five organization roles carry 4 to 12 permissions each; every member holds \`member\`, every 10th also \`admin\`, every 25th \`billing\`; every 5th user holds one of three global roles. bench/organizations-seed.ts writes it.`,
    '',
    `Each request is timed one after another over real HTTP to Usher started as \`npm start\` runs it (rate limiting off; one keep-alive connection, so the figures are a request's own latency, not a queue's), after a warm-up of a tenth as many. The members pages and the permissions call use an admin's access token. The deep page is 100 members a page with the cursor half way down the list. Search rotates over five terms (\`smith\`, \`garcia\`, \`ann\`, \`example.org\`, \`lee\`). Refresh follows one rotation chain with \`organization_id\` (where the token's organization roles and permissions are resolved). Login hashes with argon2id, so it is shown but not held to the ${ORG_TARGET_MS} ms target.`,
    '',
  );
  for (const d of run.dialects) {
    const held = d.rows.filter((r) => r.target);
    const worst = Math.max(...held.map((r) => r.p95));
    // A machine busier than its cores makes every request wait for a core: a miss then says so.
    const busy = d.cores !== undefined && d.loadAverage[0]! > d.cores;
    const verdict = run.quick
      ? ''
      : worst < ORG_TARGET_MS
        ? ' ✓'
        : busy
          ? ` ✗ on a machine loaded ${(d.loadAverage[0]! / d.cores!).toFixed(1)}× its ${d.cores} cores, where a request waits for a core; to be judged again on a quiet machine`
          : ' ✗';
    lines.push(
      `### ${d.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      '',
      `${f0(d.users)} users, ${f0(d.organizations)} organizations, ${f0(d.memberships)} memberships (seeded in ${d.seedSeconds.toFixed(0)} s); load average at the end of the run ${d.loadAverage.map((x) => x.toFixed(2)).join(', ')} (the machine is shared with other work). Worst p95 of the requests held to the target: **${worst.toFixed(1)} ms** (target < ${ORG_TARGET_MS} ms${verdict}).`,
      '',
      '| Request | n | p50 ms | p95 ms | p99 ms |',
      '|---|---:|---:|---:|---:|',
    );
    for (const r of d.rows)
      lines.push(
        `| ${r.name}${r.target ? '' : ' (not held to the target)'} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} |`,
      );
    lines.push('');
  }
  return [...lines, END];
}

/** `markdown` with its organizations section replaced by `section` (added before the cost curves when missing). */
export function withOrganizationsSection(markdown: string, section: string[]): string {
  const text = section.join('\n');
  const from = markdown.indexOf(START);
  const to = markdown.indexOf(END);
  if (from >= 0 && to > from) return markdown.slice(0, from) + text + markdown.slice(to + END.length);
  const at = markdown.indexOf('## Cost curves');
  return at >= 0 ? `${markdown.slice(0, at)}${text}\n\n${markdown.slice(at)}` : `${markdown.trimEnd()}\n\n${text}\n`;
}
