import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../scripts/fixtures.js';

/**
 * Milliseconds from running `npm start` (as a user types it, npm included)
 * to the first answer of GET /health, on an already migrated database; `runs`
 * times. Each start's whole process group is stopped before the next.
 */
export async function startTimes(env: Record<string, string>, runs = 3): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn('npm', ['start'], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
      detached: true,
    });
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - started);
    } finally {
      if (child.exitCode === null) {
        process.kill(-child.pid!, 'SIGTERM');
        await once(child, 'exit');
      }
    }
  }
  return times;
}
