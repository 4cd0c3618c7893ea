import { seededUsername } from '../src/cli/seed-users.js';
import { load } from './load.js';
import { PASSWORD, call } from './setup.js';

/** The kinds of request a cost curve follows, in the order the table and chart show them. */
export const CURVE_KINDS = [
  { key: 'byId', label: 'GET /users/{id} (random users)' },
  { key: 'rare', label: 'search, rare term' },
  { key: 'common', label: 'search, common term' },
  { key: 'cursor', label: 'page by cursor, mid-list' },
  { key: 'login', label: 'login' },
  { key: 'offset', label: 'page by offset, mid-list (contrast)' },
] as const;
export type CurveKind = (typeof CURVE_KINDS)[number]['key'];

export interface CurvePoint {
  users: number;
  p95: Record<CurveKind, number>;
}

/**
 * One point of the cost curves: p95 latency of each kind of request at the
 * database's present size, each alone for `seconds` at 10 connections
 * (logins at 4, offset pages at 2: they are slow by design, for contrast).
 */
export async function costPoint(
  base: string,
  users: number,
  o: { admin: string; ids: string[]; seconds: number; activeUser: () => string },
): Promise<CurvePoint> {
  const admin = { authorization: `Bearer ${o.admin}` };
  // A term held by a handful of users, and a last name held by one in thirty.
  const rare = seededUsername(Math.floor(users * 0.37) + 7)
    .split('_')
    .slice(1)
    .join('_')
    .slice(0, -1);
  const common = seededUsername(7).split('_')[1]!;
  const middle = Math.floor(users / 2 / 20);
  const cursor = (await call(base, 'GET', `/api/v1/users?page=${middle}&limit=20`, { token: o.admin })).json.pagination
    .next_cursor as string;
  const p95 = async (run: Parameters<typeof load>[0]) => {
    const r = await load(run);
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`cost curve ${run.url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r.p95;
  };
  const get = (path: string, connections = 10) =>
    p95({ url: `${base}${path}`, seconds: o.seconds, connections, headers: admin });
  let next = 0;
  return {
    users,
    p95: {
      byId: await p95({
        url: `${base}/api/v1/users/${o.ids[0]}`,
        seconds: o.seconds,
        connections: 10,
        headers: admin,
        setupRequest: (req) => ({ ...req, path: `/api/v1/users/${o.ids[next++ % o.ids.length]}` }),
      }),
      rare: await get(`/api/v1/users?search=${rare}&limit=20`),
      common: await get(`/api/v1/users?search=${common}&limit=20`),
      cursor: await get(`/api/v1/users?limit=20&cursor=${cursor}`),
      login: await p95({
        url: `${base}/api/v1/auth/login`,
        method: 'POST',
        seconds: o.seconds,
        connections: 4,
        setupRequest: (req) => ({
          ...req,
          method: 'POST',
          body: JSON.stringify({ username: o.activeUser(), password: PASSWORD }),
        }),
      }),
      offset: await get(`/api/v1/users?page=${middle}&limit=20`, 2),
    },
  };
}
