import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freshPostgresSchema } from '../../scripts/fixtures.js';

/** Fixtures for tests that run Usher as real server processes. */
export interface Server {
  base: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const STARTUP_DEADLINE_MS = 60_000;

/**
 * Starts `node dist/server.js` (what `npm start` runs) on a port the OS picks, and waits until it says where it
 * listens.
 */
export async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${output.slice(-3000)}`)),
      STARTUP_DEADLINE_MS,
    );
    child.stdout!.on('data', (d) => {
      output += d;
      const listening = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    });
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.slice(-3000)}`));
    });
  });
  try {
    const url = await base;
    return {
      base: url,
      child,
      output: () => output,
      async stop() {
        if (child.exitCode !== null) return child.exitCode;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        return (await exited)[0] as number | null;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** A new, empty schema in the PostgreSQL database at `base`, and a URL whose connections work in it. */
export const freshSchema = (base: string) => freshPostgresSchema(base, 'mi');

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** One HTTP request; `ip` is sent as X-Forwarded-For, for servers that trust the test as their proxy. */
export async function call(
  base: string,
  method: string,
  path: string,
  o: { body?: unknown; token?: string; ip?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.ip) headers['x-forwarded-for'] = o.ip;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}
