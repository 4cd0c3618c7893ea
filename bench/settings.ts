import { seededUsername } from '../src/cli/seed-users.js';
import { type LoadResult, load } from './load.js';
import { type Child, type CpuPerRequest, sampleRss, withCpu } from './processes.js';
import { PASSWORD } from './setup.js';

/**
 * What every part of `npm run bench [-- --quick]` shares: the run's sizes and
 * lengths, the bench admin, and the loads more than one scenario drives.
 */
export const quick = process.argv.includes('--quick');
/** The cost curves' sizes; every other scenario runs at the last. */
export const SIZES = quick ? [1_000, 2_000] : [10_000, 100_000, 1_000_000];
export const USERS = SIZES.at(-1)!;
export const SECONDS = quick ? 1 : 10;
export const CURVE_SECONDS = quick ? 1 : 5;
export const log = (s: string) => console.log(s);
export const ADMIN = { username: 'bench_admin', email: 'bench_admin@example.com', password: PASSWORD };

// A seeded user who can log in (every 20th seeded user is inactive), among the first `of`.
export const activeUser = (of = USERS) => {
  let i = Math.floor(Math.random() * of);
  if (i % 20 === 0) i = (i + 1) % of;
  return seededUsername(i);
};

/** A load against Usher with its RSS sampled and the CPU of both sides of the socket read. */
export async function measure(
  usher: Child,
  run: () => Promise<LoadResult>,
): Promise<LoadResult & { rssMb: number; cpu?: CpuPerRequest }> {
  const rss = sampleRss(usher.pid);
  const result = await withCpu(usher.pid, run);
  return { ...result, rssMb: rss.stop() };
}

export function check(name: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(
      `${name}: ${r.non2xx} non-2xx responses and ${r.errors} errors ${JSON.stringify(r.errorKinds)}; the figures would be meaningless`,
    );
}

/** A client address from many (a login's hashing share is per address). */
export const clientAddress = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** Logins of random seeded users from random addresses. */
export const loginLoad = (base: string, seconds: number) =>
  load({
    url: `${base}/api/v1/auth/login`,
    method: 'POST',
    seconds,
    setupRequest: (req) => ({
      ...req,
      method: 'POST',
      body: JSON.stringify({ username: activeUser(), password: PASSWORD }),
      headers: { ...req.headers, 'x-forwarded-for': clientAddress() },
    }),
  });

/**
 * Refreshes at 50 connections, each following its own rotation chain: every
 * answer is parsed and `next` takes from it the token that connection sends
 * next, starting from one of `tokens` each. The raw baseline is driven by the
 * same client, so the load generator, which shares the cores, does the same
 * work against both servers.
 */
export function chainLoad(
  url: string,
  tokens: string[],
  next: (answer: any) => string,
  seconds: number,
): Promise<LoadResult> {
  return load({
    url,
    method: 'POST',
    seconds,
    setupRequest: (req, ctx) => {
      ctx.token ??= tokens.pop();
      return { ...req, method: 'POST', body: JSON.stringify({ refresh_token: ctx.token }) };
    },
    onResponse: (status, body, ctx) => {
      if (status === 200) ctx.token = next(JSON.parse(body));
    },
    stateful: true,
  });
}

export const refreshLoad = (base: string, tokens: string[], seconds: number) =>
  chainLoad(`${base}/api/v1/auth/refresh`, tokens, (a) => a.refresh_token, seconds);
