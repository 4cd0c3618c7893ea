import type { ForeignKeys } from '../security/foreign-keys.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Storage } from '../storage.js';
import type { Principal } from '../types.js';
import { type ExportOptions, type ExportSink, exportUsers } from './user.export.js';
import { type ImportOptions, type ImportResult, importUsers } from './user.import.js';
import type { ImportRow } from './user.import-rows.js';
import type { UserWriter } from './user.writes.js';
import type { CompiledUserSchema } from '../custom-data/user-schema.js';

/** Users in and out of files (`usher import`, `usher export`), as the user service offers them. */
export interface UserTransfer {
  /**
   * Imports `rows` as `actor` (an admin): inserts in batches in one transaction; updates (--upsert) through the same
   * write as every update.
   */
  importUsers(actor: Principal, rows: AsyncIterable<ImportRow>, options: ImportOptions): Promise<ImportResult>;
  /** Pages every user to `sink` as `actor` (an admin), then audits the export (`user.exported`); how many left. */
  exportUsers(actor: Principal, options: ExportOptions, sink: ExportSink): Promise<number>;
}

export function userTransfer(deps: {
  storage: Storage;
  hasher: PasswordHasher;
  now: () => number;
  writer: UserWriter;
  userSchema: { current(): Promise<CompiledUserSchema | null> };
  box: SecretBox;
  foreignKeys: ForeignKeys;
}): UserTransfer {
  return {
    importUsers: (actor, rows, options) => importUsers(deps, actor, rows, options),
    exportUsers: (actor, options, sink) => exportUsers(deps, actor, options, sink),
  };
}
