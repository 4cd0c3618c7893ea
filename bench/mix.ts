import autocannon from 'autocannon';
import { PASSWORD, call } from './setup.js';

export const MIX_KINDS = ['read a user', 'list users', 'refresh', 'login', 'write a user'] as const;
export type MixKind = (typeof MIX_KINDS)[number];
// 80% reads (60% one user, 20% a page of a list), 10% refreshes, 5% logins, 5% writes.
const WEIGHTS: Array<[MixKind, number]> = [
  ['read a user', 0.6],
  ['list users', 0.2],
  ['refresh', 0.1],
  ['login', 0.05],
  ['write a user', 0.05],
];

export interface MixRow {
  kind: MixKind;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

interface Client {
  id: string;
  access: string;
  refresh: string;
  kind?: MixKind;
  started?: number;
}

/**
 * The realistic mix at 50 connections: each connection is a signed-in user
 * who reads itself, refreshes its own tokens (following its rotation chain),
 * changes its bio and logs in again now and then; lists are read with an
 * admin's token (listing needs the moderator or admin role), a plain page or
 * a search by a last name. Latency is timed per request from its sending to
 * its answer, and kept per kind.
 */
export async function mixedLoad(
  base: string,
  o: { seconds: number; admin: string; users: string[]; lastNames: string[] },
): Promise<MixRow[]> {
  const connections = 50;
  const clients: Client[] = [];
  for (const username of o.users.slice(0, connections)) {
    const t = (await call(base, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).json;
    const id = (await call(base, 'GET', '/api/profile/', { token: t.access_token })).json.id as string;
    clients.push({ id, access: t.access_token, refresh: t.refresh_token });
  }
  const times = new Map<MixKind, number[]>(MIX_KINDS.map((k) => [k, []]));
  const failed = new Map<MixKind, number>(MIX_KINDS.map((k) => [k, 0]));
  let next = 0;
  const pick = (): MixKind => {
    let r = Math.random();
    for (const [kind, weight] of WEIGHTS) if ((r -= weight) < 0) return kind;
    return 'read a user';
  };
  const build = (request: any, context: Record<string, unknown>) => {
    const c = ((context.client as Client | undefined) ??
      (context.client = clients[next++ % clients.length]!)) as Client;
    c.kind = pick();
    c.started = performance.now();
    const json = { 'content-type': 'application/json' };
    switch (c.kind) {
      case 'read a user':
        return {
          ...request,
          method: 'GET',
          path: `/api/v1/users/${c.id}`,
          headers: { authorization: `Bearer ${c.access}` },
          body: undefined,
        };
      case 'list users': {
        const search =
          Math.random() < 0.5 ? `&search=${o.lastNames[Math.floor(Math.random() * o.lastNames.length)]}` : '';
        return {
          ...request,
          method: 'GET',
          path: `/api/v1/users?limit=20${search}`,
          headers: { authorization: `Bearer ${o.admin}` },
          body: undefined,
        };
      }
      case 'refresh':
        return {
          ...request,
          method: 'POST',
          path: '/api/v1/auth/refresh',
          headers: json,
          body: JSON.stringify({ refresh_token: c.refresh }),
        };
      case 'login':
        return {
          ...request,
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: json,
          body: JSON.stringify({ username: o.users[Math.floor(Math.random() * o.users.length)], password: PASSWORD }),
        };
      case 'write a user':
        return {
          ...request,
          method: 'PATCH',
          path: `/api/v1/users/${c.id}`,
          headers: { ...json, authorization: `Bearer ${c.access}` },
          body: JSON.stringify({ bio: `bio ${Math.random()}` }),
        };
    }
  };
  const answered = (status: number, body: string, context: Record<string, unknown>) => {
    const c = context.client as Client;
    times.get(c.kind!)!.push(performance.now() - c.started!);
    if (status >= 400) failed.set(c.kind!, failed.get(c.kind!)! + 1);
    else if (c.kind === 'refresh') {
      const t = JSON.parse(body);
      c.access = t.access_token;
      c.refresh = t.refresh_token;
    }
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections,
        duration: o.seconds,
        // Long enough that no connection wraps around (which would reset its context).
        requests: Array(5000).fill({ setupRequest: build, onResponse: answered }),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
  });
  return MIX_KINDS.map((kind) => {
    const sorted = Float64Array.from(times.get(kind)!).sort();
    const at = (p: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
    return {
      kind,
      requests: sorted.length,
      rps: sorted.length / result.duration,
      p50: at(50),
      p99: at(99),
      failed: failed.get(kind)!,
    };
  });
}
