import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { ExportedUser, Storage } from '../core/storage.js';
import type { User } from '../core/types.js';
import { type ImportRow, USER_FILE_COLUMNS } from '../core/users/user.import.js';

/** Reading import files and writing exports: the file formats, nothing about users' rules. */

export type Format = 'csv' | 'jsonl';

export const formatOf = (file: string, given: string | undefined): Format | undefined => {
  const f = given ?? (/\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson|json)$/i.test(file) ? 'jsonl' : undefined);
  return f === 'csv' || f === 'jsonl' ? f : undefined;
};

/** Rows in the file, for the progress bar's ETA (lines, less the CSV header). */
export async function countRows(file: string, format: Format): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (last !== 10) lines++;
  return format === 'csv' ? Math.max(0, lines - 1) : lines;
}

/** A JSONL file's rows: one JSON object per line; blank lines are skipped. */
async function* jsonlRows(file: string): AsyncGenerator<ImportRow> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, fields: { error: 'not valid JSON' } };
      continue;
    }
    yield value && typeof value === 'object' && !Array.isArray(value) ? { line, fields: value as Record<string, unknown> } : { line, fields: { error: 'not a JSON object' } };
  }
}

/** A CSV file's rows: a header line names the columns; empty cells are absent fields. */
async function* csvRows(file: string): AsyncGenerator<ImportRow> {
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, info: true, trim: false }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const fields = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
      yield { line: info.lines, fields };
    }
  } catch (error) {
    // A broken CSV (an unclosed quote, a row with more cells than the header) cannot be read on.
    const e = error as { message?: string; lines?: number };
    throw new Error(`the CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? String(error)}`);
  }
}

export const readRows = (file: string, format: Format): AsyncGenerator<ImportRow> => (format === 'csv' ? csvRows(file) : jsonlRows(file));

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
  return [...USER_FILE_COLUMNS, 'updated_at', 'last_login', ...(o.includeDeleted ? ['deleted_at'] : []), ...(o.withHashes ? ['password_hash'] : [])];
}

function exportRow(e: ExportedUser, columns: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { ...userRecord(e.user), deleted_at: e.deletedAt, password_hash: e.passwordHash };
  return Object.fromEntries(columns.map((c) => [c, all[c]]));
}

/**
 * Writes every user (live ones, or all) to `out`, page by page in id order:
 * memory stays flat however many there are. Returns how many were written.
 */
export async function exportUsers(storage: Storage, out: NodeJS.WritableStream, o: { format: Format; withHashes: boolean; includeDeleted: boolean; onProgress?: (n: number) => void }): Promise<number> {
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
    await write(o.format === 'csv' ? stringify(rows.map((r) => columns.map((c) => (r[c] === null ? '' : r[c]))), { cast: { boolean: (b) => String(b) } }) : `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    n += page.length;
    after = page[page.length - 1]!.user.id;
    o.onProgress?.(n);
  }
  return n;
}

/**
 * A file that appears whole or not at all: written beside its final name,
 * renamed into place by `commit`, removed by `abandon`. Mode 0600: exports
 * and reject files hold personal data.
 */
export function atomicFile(path: string): { stream: WriteStream; commit(): Promise<void>; abandon(): void } {
  const temp = `${path}.partial-${process.pid}`;
  const stream = createWriteStream(temp, { mode: 0o600 });
  return {
    stream,
    async commit() {
      stream.end();
      await once(stream, 'close');
      renameSync(temp, path);
    },
    abandon() {
      stream.destroy();
      rmSync(temp, { force: true });
    },
  };
}

export const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};
