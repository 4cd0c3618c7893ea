import { seededUsername } from '../src/cli/seed-users.js';
import { load } from './load.js';
import { type Child, withCpu } from './processes.js';
import { type Row, type Target, informational, p95Below, ratioAtLeast } from './report.js';
import { SECONDS, USERS, check, log, measure } from './settings.js';
import { call } from './setup.js';

/** What each scenario is measured with: the database, both servers, tokens, and the rows it adds to. */
export interface Scene {
  dialect: 'sqlite' | 'postgres';
  usher: Child;
  baseline: Child;
  /** An admin's access token, and a seeded reader's token and id. */
  admin: string;
  reader: string;
  readerId: string;
  rows: Row[];
}

/** Scenarios (1) and (2): reads and searches, each beside the raw server answering the same number of bytes. */
export async function readScenarios(scene: Scene): Promise<void> {
  const { dialect, usher, baseline, admin, reader, readerId, rows } = scene;
  const vsHttp = async (
    name: string,
    path: string,
    token: string,
    target: Target,
    o: { connections?: number; informational?: boolean } = {},
  ) => {
    const sample = await call(usher.url, 'GET', path, { token });
    const connections = o.connections ?? 50;
    await load({ url: `${usher.url}${path}`, seconds: 1, connections, headers: { authorization: `Bearer ${token}` } }); // warm-up
    const u = await measure(usher, () =>
      load({
        url: `${usher.url}${path}`,
        seconds: SECONDS,
        connections,
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    if (!o.informational) check(name, u);
    const b = await withCpu(baseline.pid, () =>
      load({ url: `${baseline.url}/?bytes=${sample.bytes}`, seconds: SECONDS, connections }),
    );
    rows.push({
      dialect,
      name,
      usher: u,
      baseline: { label: `node:http, ${sample.bytes} B JSON`, rps: b.rps, cpu: b.cpu },
      target,
    });
    log(`  ${name}: ${u.rps.toFixed(0)} req/s (baseline ${b.rps.toFixed(0)}), p95 ${u.p95} ms, p99 ${u.p99} ms`);
  };

  log('  (1) GET /api/v1/users/{id}');
  await vsHttp(
    '(1) GET /api/v1/users/{id}',
    `/api/v1/users/${readerId}`,
    reader,
    dialect === 'sqlite' ? ratioAtLeast(0.5, '≥ 0.5x baseline (aim 0.7x)') : ratioAtLeast(0.35, '≥ 0.35x baseline'),
  );

  // A latency target is about a request's own cost, so (2) runs at 10 connections, not 50
  // (at 50, p95 is mostly time spent queued behind the other 49).
  log('  (2) search and deep pages (10 connections)');
  const term = seededUsername(123_457).split('_').slice(1).join('_').slice(0, -1); // e.g. "smith_12345": a handful of users
  await vsHttp(
    `(2a) search "${term}", limit 20 (10 conn.)`,
    `/api/v1/users?search=${term}&limit=20`,
    admin,
    p95Below(20),
    { connections: 10 },
  );
  const broad = seededUsername(7).split('_')[1]!; // a last name: about 1 in 30 users
  await vsHttp(
    `(2b) search "${broad}", limit 20 (10 conn.)`,
    `/api/v1/users?search=${broad}&limit=20`,
    admin,
    p95Below(20),
    { connections: 10 },
  );
  const deepPage = Math.floor(USERS / 2 / 20);
  const cursor = (await call(usher.url, 'GET', `/api/v1/users?page=${deepPage}&limit=20`, { token: admin })).json
    .pagination.next_cursor as string;
  await vsHttp(
    `(2c) deep page by cursor, row ${USERS / 2} (10 conn.)`,
    `/api/v1/users?limit=20&cursor=${cursor}`,
    admin,
    p95Below(20),
    { connections: 10 },
  );
  // Terms of one or two characters match as prefixes, through four prefix indexes (never a table scan).
  const short = seededUsername(9).slice(0, 2); // the start of a first name: tens of thousands of users
  await vsHttp(
    `(2e) search "${short}" (2 characters, common), limit 20 (10 conn.)`,
    `/api/v1/users?search=${short}&limit=20`,
    admin,
    p95Below(20),
    { connections: 10 },
  );
  await vsHttp(
    '(2f) search "qz" (2 characters, no match), limit 20 (10 conn.)',
    '/api/v1/users?search=qz&limit=20',
    admin,
    p95Below(20),
    { connections: 10 },
  );
  await vsHttp(
    `(2d) the same page by page=${deepPage} (offset; 2 conn.)`,
    `/api/v1/users?page=${deepPage}&limit=20`,
    admin,
    informational('for contrast'),
    { connections: 2, informational: true },
  );
}
