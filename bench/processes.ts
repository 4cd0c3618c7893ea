import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { freePort } from '../scripts/fixtures.js';

/** Child processes the benchmark measures: Usher itself, the raw baseline, raw argon2. */

export interface Child {
  process: ChildProcess;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`process exited: ${output().slice(-2000)}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}: ${output().slice(-2000)}`);
}

function started(child: ChildProcess, base: string): Child {
  return {
    process: child,
    url: base,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The Node.js flags `npm start` gives the server (package.json's start script: `node <flags> dist/server.js`). */
export function startFlags(): string[] {
  const start = (
    JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  ).scripts.start.split(/\s+/);
  return start.slice(1, start.indexOf('dist/server.js'));
}

/** Usher as `npm start` runs it (`node <its flags> dist/server.js`), stdout to /dev/null. */
export async function startUsher(env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...startFlags(), ...nodeArgs, 'dist/server.js'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, child, () => output);
  return started(child, base);
}

export async function startBaseline(): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/baseline-server.mjs'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/?bytes=10`, child, () => '');
  return started(child, base);
}

/** Raw argon2id operations per second at Usher's parameters, measured in a separate process. */
export async function rawArgon2(op: 'verify' | 'hash', seconds: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/argon2-raw.ts', op, String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await once(child, 'exit');
  return (JSON.parse(out.trim()) as { perSecond: number }).perSecond;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Samples a process's resident memory every 100 ms; `stop()` gives the highest seen, in MB. */
export function sampleRss(pid: number): { stop(): number } {
  let peak = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, statusKb(pid, 'VmRSS'));
    } catch {
      // process gone
    }
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.round(peak / 1024);
    },
  };
}

/** The kernel's high-water mark of a process's resident memory, in MB. */
export const peakRss = (pid: number): number => Math.round(statusKb(pid, 'VmHWM') / 1024);

/**
 * CPU per answered request, of the server (all its threads) and of the load generator (this process), over one load.
 */
export interface CpuPerRequest {
  serverUs: number;
  loadUs: number;
  /** Both together, as a share of all the machine's cores over the load. */
  machinePercent: number;
}

/**
 * CPU seconds a process has used so far, all its threads (utime + stime from /proc, in USER_HZ ticks: 100 a second on
 * Linux).
 */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Runs a load against the process `pid` and adds what each answered request
 * cost in CPU: the server's, and the load generator's (autocannon runs in this
 * process). Both share the machine's cores, so a ratio against the raw server
 * is as much about these two figures as about the server alone. No `cpu` where
 * there is no /proc.
 */
export async function withCpu<T extends { requests: number }>(
  pid: number,
  run: () => Promise<T>,
): Promise<T & { cpu?: CpuPerRequest }> {
  const server = cpuSeconds(pid);
  const loader = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const serverEnd = cpuSeconds(pid);
  const used = process.cpuUsage(loader);
  const seconds = (performance.now() - started) / 1000;
  if (server === undefined || serverEnd === undefined || result.requests === 0) return result;
  const serverS = serverEnd - server;
  const loadS = (used.user + used.system) / 1e6;
  return {
    ...result,
    cpu: {
      serverUs: (serverS / result.requests) * 1e6,
      loadUs: (loadS / result.requests) * 1e6,
      machinePercent: ((serverS + loadS) / (seconds * availableParallelism())) * 100,
    },
  };
}
