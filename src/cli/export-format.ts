import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { ExportedUser } from '../core/storage.js';
import type { User } from '../core/types.js';
import type { ExportSink } from '../core/users/user.export.js';
import { USER_FILE_COLUMNS } from '../core/users/user.import-rows.js';
import { guardCell } from './csv-cells.js';
import type { Format } from './rows.js';

/**
 * The export's file formats (CSV, JSONL): users as rows, nothing about users' rules (the core's export decides
 * which users leave, and whether with their hashes; rows.ts reads imports).
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
    custom_data: u.customData,
    external_id: u.externalId,
  };
}

/** The columns of an export, in order; the deletion time and the hash only when asked for. */
function exportColumns(o: { withHashes: boolean; includeDeleted: boolean }): string[] {
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
 * Writes the pages of an export to `out` as CSV (the header at once, then
 * rows) or JSONL, waiting for `out` to drain: memory stays flat however many users.
 */
export async function exportSink(
  out: NodeJS.WritableStream,
  o: { format: Format; withHashes: boolean; includeDeleted: boolean; onProgress?: (n: number) => void },
): Promise<ExportSink> {
  const columns = exportColumns(o);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (o.format === 'csv') await write(stringify([columns]));
  let n = 0;
  return {
    async write(page) {
      const rows = page.map((e) => exportRow(e, columns));
      await write(
        o.format === 'csv'
          ? stringify(
              // custom_data, an object, as its JSON text in one cell.
              rows.map((r) =>
                columns.map((c) => (r[c] === null ? '' : typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c])),
              ),
              CSV_CELLS,
            )
          : `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
      n += page.length;
      o.onProgress?.(n);
    },
    close: async () => {},
  };
}
