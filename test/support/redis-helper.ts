import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../scripts/fixtures.js';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { Log } from '../../src/infra/redis-connection.js';

/**
 * Fixtures for tests against a real Redis (TEST_REDIS_URL). Each test works
 * under its own key prefix, so parallel runs and leftovers never meet.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL;
export const withoutRedis: string | false = REDIS_URL
  ? false
  : 'needs a Redis server: set TEST_REDIS_URL (.ci/run sets it)';

/** A fresh key prefix; its keys are deleted when the test ends. */
export function redisPrefix(t: TestContext, url = REDIS_URL): string {
  const prefix = `usher-test:${randomBytes(6).toString('hex')}:`;
  t.after(() => deleteKeys(url!, prefix));
  return prefix;
}

export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  } catch {
    // A Redis the test killed has no keys to clean.
  } finally {
    client.disconnect();
  }
}

/** A Log that keeps what it is told. */
export function recordingLog(): Log & { lines: Array<{ level: 'warn' | 'info'; obj: object; msg: string }> } {
  const lines: Array<{ level: 'warn' | 'info'; obj: object; msg: string }> = [];
  return {
    lines,
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
  };
}

/** Polls until `check` is true; fails naming `what` after the deadline. Waits, never asserts a duration. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  deadlineMs = 15_000,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A local port with nothing listening on it. */
export const closedPort = freePort;

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A redis-server of the test's own on a spare port, to kill and restart mid-test. */
export async function ownRedisServer(
  t: TestContext,
): Promise<{ url: string; kill(): Promise<void>; start(): Promise<void>; signal(s: 'SIGSTOP' | 'SIGCONT'): void }> {
  const port = await closedPort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitFor(`redis-server on port ${port}`, async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    });
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  t.after(kill);
  await start();
  return { url, kill, start, signal: (s) => void child?.kill(s) };
}
