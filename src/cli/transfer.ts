import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ExportedUser, Storage } from '../core/storage.js';
import type { User } from '../core/types.js';
import { USER_FILE_COLUMNS } from '../core/users/user.import.js';
import { guardCell } from './csv-cells.js';
import type { Format } from './rows.js';

/**
 * Writing exports and files that appear whole: the file formats, nothing about users' rules (rows.ts reads imports).
 */

/** A user as the command shows and exports it: the file columns (USER_FILE_COLUMNS), then the times. */
export function userRecord(u: User): Record<string, unknown> {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    phone_number: u.phoneNumber,
    date_of_birth: u.dateOfBirth,
    bio: u.bio,
    role: u.role,
    status: u.status,
    theme: u.preferences.theme,
    notifications: u.preferences.notifications,
    email_verified: u.emailVerified,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    last_login: u.lastLoginAt,
  };
}

/** The columns of an export, in order; the deletion time and the hash only when asked for. */
export function exportColumns(o: { withHashes: boolean; includeDeleted: boolean }): string[] {
  return [
    ...USER_FILE_COLUMNS,
    'updated_at',
    'last_login',
    ...(o.includeDeleted ? ['deleted_at'] : []),
    ...(o.withHashes ? ['password_hash'] : []),
  ];
}

function exportRow(e: ExportedUser, columns: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...userRecord(e.user),
    deleted_at: e.deletedAt,
    password_hash: e.passwordHash,
  };
  return Object.fromEntries(columns.map((c) => [c, all[c]]));
}

/** Booleans as `true`/`false`; text that a spreadsheet would run as a formula guarded (csv-cells.ts). */
const CSV_CELLS = { cast: { boolean: (b: boolean) => String(b), string: guardCell } };

/**
 * Writes every user (live ones, or all) to `out`, page by page in id order:
 * memory stays flat however many there are. Returns how many were written.
 */
export async function exportUsers(
  storage: Storage,
  out: NodeJS.WritableStream,
  o: { format: Format; withHashes: boolean; includeDeleted: boolean; onProgress?: (n: number) => void },
): Promise<number> {
  const columns = exportColumns(o);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (o.format === 'csv') await write(stringify([columns]));
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const page = await storage.users.exportPage(after, 1000, o.includeDeleted);
    if (page.length === 0) break;
    const rows = page.map((e) => exportRow(e, columns));
    await write(
      o.format === 'csv'
        ? stringify(
            rows.map((r) => columns.map((c) => (r[c] === null ? '' : r[c]))),
            CSV_CELLS,
          )
        : `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
    n += page.length;
    after = page[page.length - 1]!.user.id;
    o.onProgress?.(n);
  }
  return n;
}

/**
 * A file that appears whole or not at all: written beside its final name,
 * renamed into place by `commit`, removed by `abandon`. The temporary file
 * has a random name and is created exclusively (O_EXCL: never a file or a
 * link someone else put there) with mode 0600, the final file's: exports and
 * reject files hold personal data.
 */
export function atomicFile(path: string): { stream: WriteStream; commit(): Promise<void>; abandon(): void } {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    throw new Error(
      `cannot write beside ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const stream = createWriteStream(temp, { fd });
  // Interrupted (Ctrl-C, a stop), the file is removed first, then the signal does what it would have done.
  const onSignal = (signal: NodeJS.Signals) => {
    abandon();
    process.kill(process.pid, signal);
  };
  const release = () => STOPS.forEach((s) => process.removeListener(s, onSignal));
  STOPS.forEach((s) => process.once(s, onSignal));
  function abandon() {
    release();
    stream.destroy();
    rmSync(temp, { force: true });
  }
  return {
    stream,
    async commit() {
      stream.end();
      await once(stream, 'close');
      renameSync(temp, path);
      release();
    },
    abandon,
  };
}

const STOPS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};
