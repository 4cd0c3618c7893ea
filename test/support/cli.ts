import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freshPostgresSchema, tempDir } from '../../scripts/fixtures.js';
import { PASSWORD } from './helper.js';

/** How a run of the `usher` command ended. */
export interface Run {
  status: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid?: number;
}

/**
 * The `usher` command as an operator runs it, against a database of its own
 * (a SQLite file in a temporary folder, or a fresh PostgreSQL schema): `usher`
 * runs bin/usher.mjs (or `npx usher` itself, with `npx: true`; npm's start-up
 * is a second per run), `usherAsync` several at once, `file` writes an input.
 */
export async function cliFixture(t: TestContext, env: Record<string, string> = {}) {
  const dir = tempDir('usher-cli-');
  let url = `sqlite:${join(dir, 'usher.db')}`;
  if (process.env.USHER_TEST_DIALECT === 'postgres') {
    const schema = await freshPostgresSchema(process.env.TEST_DATABASE_URL!);
    t.after(() => schema.drop());
    url = schema.url;
  }
  const environment = (extra: Record<string, string> = {}) => ({
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    ...env,
    ...extra,
  });
  const usher = (args: string[], o: { input?: string; env?: Record<string, string>; npx?: boolean } = {}): Run => {
    const run = spawnSync(o.npx ? 'npx' : process.execPath, o.npx ? ['usher', ...args] : ['bin/usher.mjs', ...args], {
      encoding: 'utf8',
      input: o.input ?? '',
      env: environment(o.env),
    });
    return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, pid: run.pid };
  };
  const usherAsync = (args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile(process.execPath, ['bin/usher.mjs', ...args], { env: environment() }, (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** The first admin, made from the terminal as an operator does (`user create --role admin --password-stdin`). */
  const admin = (username = 'boss'): Run =>
    usher(
      [
        'user',
        'create',
        '--username',
        username,
        '--email',
        `${username}@example.com`,
        '--password-stdin',
        '--role',
        'admin',
        '--json',
      ],
      { input: `${PASSWORD}\n` },
    );
  return { dir, url, usher, usherAsync, file, admin };
}

export const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
