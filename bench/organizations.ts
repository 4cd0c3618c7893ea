import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { FULL_SHAPE, type OrgShape, QUICK_SHAPE, type SeededOrgs, seedOrganizations } from './organizations-seed.js';
import {
  type OrgDialect,
  type OrgRow,
  type OrgRun,
  organizationsSection,
  withOrganizationsSection,
} from './report-organizations.js';
import { startUsher } from './processes.js';
import { PASSWORD, call, seededDatabase } from './setup.js';
import { ADMIN } from './settings.js';

/**
 * The organizations section (issue 28: "at 100k users and 1,000 organizations, listing an organization's members and
 * resolving a token's permissions stay under 20 ms p95"). Seeds the users with the seeder's bulk load, then the
 * organizations (organizations-seed.ts), starts Usher as `npm start` does and times each request one after another
 * over real HTTP (a keep-alive connection, no concurrency: the latency of one request, not of a queue), after a
 * warm-up.
 */
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** `n` timed calls of `once` after `warm` untimed ones. */
async function timed(name: string, target: boolean, n: number, once: (i: number) => Promise<void>): Promise<OrgRow> {
  const warm = Math.max(5, Math.floor(n / 10));
  for (let i = 0; i < warm; i++) await once(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once(warm + i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { name, target, n, p50: pct(ms, 50), p95: pct(ms, 95), p99: pct(ms, 99) };
}

export async function organizationsBench(o: {
  dialect: 'sqlite' | 'postgres';
  users: number;
  shape: OrgShape;
  n: number;
  log: (s: string) => void;
}): Promise<OrgDialect> {
  const { log, n } = o;
  log(`\n## organizations, ${o.dialect}: seeding ${o.users} users, ${o.shape.organizations} organizations`);
  const started = Date.now();
  const db = await seededDatabase(o.dialect, o.users, log);
  try {
    const orgs: SeededOrgs = await seedOrganizations(db.url, o.shape);
    const seedSeconds = (Date.now() - started) / 1000;
    log(`  seeded in ${seedSeconds.toFixed(0)} s: ${orgs.memberships} memberships`);
    const usher = await startUsher({
      DATABASE_URL: db.url,
      USHER_RATE_LIMIT: 'off',
      USHER_TRUST_PROXY: 'true',
      USHER_ADMIN_USERNAME: ADMIN.username,
      USHER_ADMIN_EMAIL: ADMIN.email,
      USHER_ADMIN_PASSWORD: ADMIN.password,
    });
    try {
      const base = usher.url;
      const admin = (
        await call(base, 'POST', '/api/v1/auth/login', { body: { username: ADMIN.username, password: PASSWORD } })
      ).json.access_token as string;
      const get = (path: string) => call(base, 'GET', path, { token: admin });
      const rows: OrgRow[] = [];
      const add = (row: OrgRow) => {
        rows.push(row);
        log(`  ${row.name}: p50 ${row.p50.toFixed(1)} p95 ${row.p95.toFixed(1)} p99 ${row.p99.toFixed(1)} ms`);
      };
      for (const [label, org] of [
        ['large', orgs.large],
        ['small', orgs.small],
      ] as const) {
        const members = `/api/v1/organizations/${org.id}/members`;
        add(
          await timed(`members, first page, ${label} organization (${org.members} members)`, true, n, () =>
            get(members).then(() => {}),
          ),
        );
        // A deep page: the cursor half way down the list (walked once, page by page).
        let cursor: string | null = null;
        const halfway = Math.floor(org.members / 100 / 2);
        for (let p = 0; p < Math.max(1, halfway); p++) {
          cursor = (await get(`${members}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json
            .pagination.next_cursor;
          if (!cursor) break;
        }
        if (cursor) {
          const deep = `${members}?limit=100&cursor=${encodeURIComponent(cursor)}`;
          add(
            await timed(`members, 100 a page, deep cursor (page ${halfway + 1}), ${label} organization`, true, n, () =>
              get(deep).then(() => {}),
            ),
          );
        }
        const names = ['smith', 'garcia', 'ann', 'example.org', 'lee'];
        add(
          await timed(`members, ?search= (rotating terms), ${label} organization`, true, n, (i) =>
            get(`${members}?search=${names[i % names.length]}`).then(() => {}),
          ),
        );
        const ids = org.active.map((u) => u.id);
        add(
          await timed(`GET /users/{id}/permissions?organization_id=, ${label} organization`, true, n, (i) =>
            get(`/api/v1/users/${ids[i % ids.length]}/permissions?organization_id=${org.id}`).then(() => {}),
          ),
        );
        // Refresh with organization_id: one rotation chain, each answer's refresh token sent next.
        const user = org.active[0]!;
        let refresh = (
          await call(base, 'POST', '/api/v1/auth/login', {
            body: { username: user.username, password: PASSWORD, organization_id: org.id },
          })
        ).json.refresh_token as string;
        add(
          await timed(`POST /auth/refresh with organization_id, ${label} organization`, true, n, async () => {
            refresh = (
              await call(base, 'POST', '/api/v1/auth/refresh', {
                body: { refresh_token: refresh, organization_id: org.id },
              })
            ).json.refresh_token;
          }),
        );
        const logins = Math.max(10, Math.floor(n / 5));
        add(
          await timed(`POST /auth/login with organization_id (argon2id), ${label} organization`, false, logins, (i) =>
            call(base, 'POST', '/api/v1/auth/login', {
              body: {
                username: org.active[i % org.active.length]!.username,
                password: PASSWORD,
                organization_id: org.id,
              },
            }).then(() => {}),
          ),
        );
      }
      return {
        dialect: o.dialect,
        users: o.users,
        organizations: o.shape.organizations,
        memberships: orgs.memberships,
        large: orgs.large.members,
        small: orgs.small.members,
        seedSeconds,
        loadAverage: loadavg(),
        cores: availableParallelism(),
        rows,
      };
    } finally {
      await usher.stop();
    }
  } finally {
    await db.drop();
  }
}

/** The section on every dialect of this run (PostgreSQL when BENCH_DATABASE_URL is set): full sizes or quick ones. */
export async function organizationsRun(quick: boolean, log: (s: string) => void): Promise<OrgRun> {
  const shape = quick ? QUICK_SHAPE : FULL_SHAPE;
  const dialects: Array<'sqlite' | 'postgres'> = process.env.BENCH_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const measured: OrgDialect[] = [];
  for (const dialect of dialects)
    measured.push(
      await organizationsBench({ dialect, users: quick ? 2_000 : 100_000, shape, n: quick ? 20 : 300, log }),
    );
  return { date: new Date().toISOString(), quick, shape, dialects: measured };
}

/** `--only organizations`: this section alone, written into the report (and the saved run, when there is one). */
export async function onlyOrganizations(quick: boolean, log: (s: string) => void): Promise<void> {
  const run = await organizationsRun(quick, log);
  const out = quick ? 'bench/results/quick.md' : 'BENCHMARKS.md';
  const saved = `bench/results/${quick ? 'quick' : 'full'}.json`;
  mkdirSync('bench/results', { recursive: true });
  if (existsSync(saved)) {
    const whole = JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>;
    writeFileSync(saved, JSON.stringify({ ...whole, organizations: run }, null, 2));
  }
  writeFileSync(`bench/results/organizations${quick ? '-quick' : ''}.json`, JSON.stringify(run, null, 2));
  const before = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
  writeFileSync(out, withOrganizationsSection(before, organizationsSection(run)));
  log(`\nwrote the organizations section of ${out}`);
}
