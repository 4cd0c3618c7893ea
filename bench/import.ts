import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { PASSWORD, seededDatabase } from './setup.js';

export interface ImportRates {
  hashedRows: number;
  hashedPerSecond: number;
  plainRows: number;
  plainPerSecond: number;
}

/**
 * `usher import` into an empty database, as an operator runs it: rows that
 * carry a bcrypt hash (kept as they are), then rows with plain passwords
 * (hashed with argon2id, in parallel). The rate is the import's own time, as
 * the command reports it (start-up excluded).
 */
export async function importRates(
  dialect: 'sqlite' | 'postgres',
  hashedRows: number,
  plainRows: number,
  log: (s: string) => void,
): Promise<ImportRates> {
  const db = await seededDatabase(dialect, 0, log);
  const dir = mkdtempSync(join(tmpdir(), 'usher-import-'));
  try {
    const bcryptHash = bcrypt.hashSync(PASSWORD, 10);
    const file = (name: string, count: number, row: (i: number) => object) => {
      const path = join(dir, name);
      writeFileSync(path, `${Array.from({ length: count }, (_, i) => JSON.stringify(row(i))).join('\n')}\n`);
      return path;
    };
    const run = (path: string) => {
      const out = execFileSync(process.execPath, ['bin/usher.mjs', 'import', path, '--json'], {
        env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
      return JSON.parse(out) as { created: number; seconds: number };
    };
    const hashed = run(
      file('hashed.jsonl', hashedRows, (i) => ({
        username: `imported_${i}`,
        email: `imported_${i}@example.com`,
        first_name: 'Imported',
        password_hash: bcryptHash,
      })),
    );
    log(`  import: ${hashed.created} rows with bcrypt hashes in ${hashed.seconds} s`);
    const plain = run(
      file('plain.jsonl', plainRows, (i) => ({
        username: `plain_${i}`,
        email: `plain_${i}@example.com`,
        password: PASSWORD,
      })),
    );
    log(`  import: ${plain.created} rows with plain passwords in ${plain.seconds} s`);
    return {
      hashedRows,
      hashedPerSecond: hashed.created / hashed.seconds,
      plainRows,
      plainPerSecond: plain.created / plain.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}
