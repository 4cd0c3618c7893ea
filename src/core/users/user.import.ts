import { auditEvent, sourceOf } from '../audit.js';
import { AppError } from '../errors.js';
import { assertCanTransferUsers } from '../policy.js';
import type { ForeignKeys } from '../security/foreign-keys.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { type SecretBox, totpContext } from '../security/secret-box.js';
import type { Storage, Stores, UserRecordChanges } from '../storage.js';
import type { Principal } from '../types.js';
import type { CompiledUserSchema } from '../custom-data/user-schema.js';
import { type CheckedRow, type ImportRow, changesOf, checkImportRow } from './user.import-rows.js';

/**
 * Bringing users in from another system (`usher import`): one row per user,
 * checked by the same rules as every other write (user.import-rows.ts). A
 * row carries a plain password (hashed here with argon2id) or the hash the
 * old system kept (bcrypt, argon2, Django's pbkdf2_sha256), stored as it is
 * and replaced by argon2id at the user's next login. This is the writer: rows
 * are written in batches inside one transaction, new users in multi-row
 * inserts, existing ones (--upsert) through the users' one writer; a bad row
 * (unless skipped) rolls back everything.
 */

export interface ImportOptions {
  /** An existing user (same username or email) is updated instead of being a bad row. */
  upsert: boolean;
  /** Bad rows are reported to `onReject` and skipped; otherwise the first one stops the import. */
  skipInvalid: boolean;
  onReject?: (line: number, reason: string, fields: Record<string, unknown> | undefined) => void;
  onProgress?: (rows: number) => void;
  /** Everything is checked and written in a transaction that is then rolled back: the result says what would happen. */
  dryRun?: boolean;
  /**
   * Keys (base64) the rows' foreign hashes name and need at every login (Firebase's signer key): sealed into the
   * settings before the rows are written (not on a dry run).
   */
  foreignKeys?: string[];
}

/**
 * How an upsert changes an existing user: the write every update goes
 * through (user.writes.ts), run inside the import's transaction (the
 * last-admin rule, the sessions a change ends, audit events), announced to
 * caches and other instances once the import has committed.
 */
export interface ImportWriter<W> {
  writeIn(
    s: Stores,
    actor: Principal,
    id: string,
    changes: Omit<UserRecordChanges, 'updatedAt'>,
  ): Promise<{ written: W }>;
  announce(written: W): void;
}

export interface ImportResult {
  created: number;
  updated: number;
  rejected: number;
}

class DryRun extends Error {} // thrown to roll a dry run's transaction back

/** The import's first bad row, when bad rows stop it: nothing was written. */
export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const BATCH = 1000;
const HASH_GROUP = 32;

/**
 * Imports `rows` as `actor` (the admin the audit trail names). Plain
 * passwords are hashed in parallel (as many at once as the hasher allows);
 * existing hashes cost nothing. Returns what was written; throws ImportError
 * (nothing written) at the first bad row unless `skipInvalid`.
 */
export async function importUsers<W>(
  deps: {
    storage: Storage;
    hasher: PasswordHasher;
    now: () => number;
    writer: ImportWriter<W>;
    userSchema: { current(): Promise<CompiledUserSchema | null> };
    box: SecretBox;
    foreignKeys: ForeignKeys;
  },
  actor: Principal,
  rows: AsyncIterable<ImportRow>,
  o: ImportOptions,
): Promise<ImportResult> {
  assertCanTransferUsers(actor);
  // custom_data is checked against the schema current when the import starts.
  const schema = await deps.userSchema.current();
  const result: ImportResult = { created: 0, updated: 0, rejected: 0 };
  // Updates are announced (caches, other instances) once the import has committed.
  const written: W[] = [];
  const seenNames = new Set<string>();
  const seenEmails = new Set<string>();
  const seenExternal = new Set<string>();
  let read = 0;
  // Without skipInvalid the earliest bad row of a batch stops the import before the batch is written.
  let firstBad: ImportError | undefined;
  const reject = (line: number, reason: string, fields?: Record<string, unknown>) => {
    if (!o.skipInvalid) {
      if (!firstBad || line < firstBad.line) firstBad = new ImportError(line, reason);
      return;
    }
    // Reported at the end of the batch, in line order (a duplicate is only found when its batch is written).
    rejected.push({ line, reason, fields });
  };
  let rejected: Array<{ line: number; reason: string; fields: Record<string, unknown> | undefined }> = [];
  const flushRejects = () => {
    for (const r of rejected.sort((a, b) => a.line - b.line)) o.onReject?.(r.line, r.reason, r.fields);
    result.rejected += rejected.length;
    rejected = [];
  };

  async function writeBatch(s: Stores, batch: CheckedRow[]): Promise<void> {
    const existing = await s.users.withKeys(
      batch.map((r) => r.record.username),
      batch.map((r) => r.record.email),
    );
    const byName = new Map(existing.map((u) => [u.username.toLowerCase(), u]));
    const byEmail = new Map(existing.map((u) => [u.email.toLowerCase(), u]));
    // External ids are unique among all users, deleted ones too: one taken by another user makes a bad row.
    const external = await s.users.externalIdsTaken(
      batch.flatMap((r) => (r.record.externalId ? [r.record.externalId] : [])),
    );
    const fresh: CheckedRow[] = [];
    const updates: Array<{ row: CheckedRow; user: { id: string; email: string } }> = [];
    for (const row of batch) {
      const sameName = byName.get(row.record.username.toLowerCase());
      const sameEmail = byEmail.get(row.record.email.toLowerCase());
      const owner = row.record.externalId ? external.get(row.record.externalId) : undefined;
      if (owner !== undefined && owner !== (sameName ?? sameEmail)?.id) {
        reject(row.line, `external_id ${row.record.externalId} belongs to another user`);
        continue;
      }
      if (!sameName && !sameEmail) {
        fresh.push(row);
        continue;
      }
      if (!o.upsert) {
        reject(
          row.line,
          sameName
            ? `username ${row.record.username} already exists (--upsert updates existing users)`
            : `email ${row.record.email} already exists (--upsert updates existing users)`,
        );
        continue;
      }
      if (sameName && sameEmail && sameName.id !== sameEmail.id) {
        reject(row.line, 'the username and the email belong to two different users');
        continue;
      }
      updates.push({ row, user: (sameName ?? sameEmail)! });
    }
    if (firstBad) throw firstBad;
    // Plain passwords: hashed in parallel (the hasher runs as many at once as it allows), in
    // groups that stay under its per-key queue bound.
    const plain = [...fresh, ...updates.map((u) => u.row)].filter((r) => r.password !== undefined);
    for (let i = 0; i < plain.length; i += HASH_GROUP) {
      await Promise.all(
        plain
          .slice(i, i + HASH_GROUP)
          .map(async (r) => (r.record.passwordHash = await deps.hasher.hash(r.password!, ['import']))),
      );
    }
    // An authenticator brought from another system: its secret sealed like every TOTP secret, bound to the user's row.
    for (const r of fresh) if (r.totp) r.record.mfaSecret = deps.box.seal(r.totp, totpContext(r.record.id));
    // New users first: a file that brings a new admin may demote the old one.
    await s.users.insertMany(fresh.map((r) => r.record));
    result.created += fresh.length;
    for (const { row, user } of updates) {
      try {
        written.push((await deps.writer.writeIn(s, actor, user.id, changesOf(row, user))).written);
        result.updated++;
      } catch (error) {
        // The write's own refusals (the last active admin; a user deleted meanwhile) make the row a bad one.
        if (
          !(error instanceof AppError) ||
          (error.code !== 'UNPROCESSABLE_ENTITY' && error.code !== 'RESOURCE_NOT_FOUND')
        )
          throw error;
        reject(row.line, `${row.record.username}: ${error.message}`);
        if (firstBad) throw firstBad;
      }
    }
    flushRejects();
  }

  if (o.foreignKeys?.length && !deps.box.sealing)
    throw new AppError(
      'UNPROCESSABLE_ENTITY',
      "Set USHER_SECRETS_KEY first: the old system's key these hashes need is kept sealed with it",
    );
  if (!o.dryRun) for (const key of o.foreignKeys ?? []) await deps.foreignKeys.put(key);
  await deps.storage
    .transaction(async (s) => {
      let batch: CheckedRow[] = [];
      for await (const row of rows) {
        read++;
        if ('error' in row.fields) {
          reject(row.line, row.fields.error as string);
        } else {
          const checked = checkImportRow(row.line, row.fields, deps.now(), schema);
          if ('reason' in checked) reject(row.line, checked.reason, row.fields);
          else {
            if (row.totp) checked.totp = row.totp;
            // Duplicates inside the file are bad rows as well: the first one wins.
            const name = checked.record.username.toLowerCase();
            const email = checked.record.email.toLowerCase();
            if (seenNames.has(name))
              reject(row.line, `username ${checked.record.username} appears earlier in the file`, row.fields);
            else if (seenEmails.has(email))
              reject(row.line, `email ${checked.record.email} appears earlier in the file`, row.fields);
            else if (checked.record.externalId && seenExternal.has(checked.record.externalId))
              reject(row.line, `external_id ${checked.record.externalId} appears earlier in the file`, row.fields);
            else {
              seenNames.add(name);
              seenEmails.add(email);
              if (checked.record.externalId) seenExternal.add(checked.record.externalId);
              batch.push(checked);
            }
          }
        }
        if (batch.length >= BATCH) {
          await writeBatch(s, batch);
          batch = [];
        }
        if (read % BATCH === 0) o.onProgress?.(read);
      }
      await writeBatch(s, batch);
      o.onProgress?.(read);
      const when = new Date(deps.now()).toISOString();
      await s.audit.record(
        auditEvent(
          sourceOf(actor),
          {
            type: 'users.imported',
            targetId: null,
            details: { created: result.created, updated: result.updated, rejected: result.rejected },
          },
          when,
        ),
      );
      if (o.dryRun) throw new DryRun();
    })
    .catch((error: unknown) => {
      if (!(error instanceof DryRun)) throw error;
    });
  if (o.dryRun) return result;
  for (const w of written) deps.writer.announce(w);
  return result;
}
