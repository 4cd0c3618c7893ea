import { auditEvent } from '../audit.js';
import { AppError, type FieldErrors } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { readForeignHash } from '../security/foreign-hashes.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { NewUserRecord, Storage, Stores, UserRecordChanges } from '../storage.js';
import { DEFAULT_PREFERENCES, type Principal, type ROLES, type STATUSES, type Role, type Status } from '../types.js';
import { checkPassword, checkUserFields, type UserFields } from './user.rules.js';

/**
 * Bringing users in from another system (`usher import`): one row per user,
 * checked by the same rules as every other write. A row carries a plain
 * password (hashed here with argon2id) or the hash the old system kept
 * (bcrypt, argon2, Django's pbkdf2_sha256), stored as it is and replaced by
 * argon2id at the user's next login. Rows are written in batches inside one
 * transaction: a bad row (unless skipped) rolls back everything.
 */

/** A user's columns in an import or export file, in order: the /api/v1 names, preferences flattened. */
export const USER_FILE_COLUMNS = [
  'id',
  'username',
  'email',
  'first_name',
  'last_name',
  'phone_number',
  'date_of_birth',
  'bio',
  'role',
  'status',
  'theme',
  'notifications',
  'email_verified',
  'created_at',
] as const;
/** The fields a row may have. */
export const IMPORT_FIELDS = [...USER_FILE_COLUMNS, 'last_login', 'password', 'password_hash'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Columns an export writes but an import ignores (they are made anew). */
const IGNORED = new Set(['updated_at', 'deleted_at', 'mfa_enabled']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ImportRow {
  /** The line (JSONL) or record number (CSV) in the file, for messages. */
  line: number;
  /** The row's fields, or why it could not be read at all. */
  fields: Record<string, unknown> | { error: string };
}

/** A row that passed the checks: the user to write, and the plain password still to hash. */
interface CheckedRow {
  line: number;
  record: NewUserRecord;
  given: Set<string>;
  password?: string;
}

export interface ImportOptions {
  /** An existing user (same username or email) is updated instead of being a bad row. */
  upsert: boolean;
  /** Bad rows are reported to `onReject` and skipped; otherwise the first one stops the import. */
  skipInvalid: boolean;
  onReject?: (line: number, reason: string, fields: Record<string, unknown> | undefined) => void;
  onProgress?: (rows: number) => void;
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

/** The import's first bad row, when bad rows stop it: nothing was written. */
export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const text = (value: unknown): string | null | undefined => {
  if (value === undefined || value === null || value === '') return value === '' ? null : (value as null | undefined);
  return typeof value === 'string' ? value : String(value);
};

function flag(value: unknown, field: string, errors: FieldErrors): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  errors[field] = `${field} must be true or false`;
  return undefined;
}

const describe = (errors: FieldErrors) =>
  Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');

/**
 * A date-time as ISO 8601 writes it, or as databases print it
 * (`2024-01-02 10:11:12.5+00`, PostgreSQL's CSV); NaN for anything else.
 */
function timeOf(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
  if (!m) return Number.NaN;
  const zone =
    m[3] === undefined
      ? 'Z'
      : m[3] === 'Z'
        ? 'Z'
        : m[3].length === 3
          ? `${m[3]}:00`
          : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const seconds = m[2]!.replace(/(\.\d{3})\d+$/, '$1');
  return Date.parse(`${m[1]}T${seconds}${zone}`);
}

/** Checks one row; the user it describes, or why it is bad. */
export function checkImportRow(
  line: number,
  fields: Record<string, unknown>,
  now: number,
): CheckedRow | { line: number; reason: string } {
  const unknown = Object.keys(fields).filter(
    (k) => !(IMPORT_FIELDS as readonly string[]).includes(k) && !IGNORED.has(k),
  );
  if (unknown.length > 0)
    return { line, reason: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` };
  if (text(fields.deleted_at))
    return { line, reason: 'a deleted user (deleted_at is set): deleted users are not imported' };
  const given = new Set(
    Object.keys(fields).filter((k) => fields[k] !== undefined && fields[k] !== '' && !IGNORED.has(k)),
  );
  const errors: FieldErrors = {};
  const username = text(fields.username);
  const email = text(fields.email);
  if (!username) errors.username = 'username is required';
  if (!email) errors.email = 'email is required';
  const password = text(fields.password) ?? undefined;
  const passwordHash = text(fields.password_hash) ?? undefined;
  if (password !== undefined && passwordHash !== undefined)
    errors.password = 'give password or password_hash, not both';
  else if (password !== undefined) checkPassword(errors, password);
  else if (passwordHash !== undefined) {
    // The same bounds the verifier holds a hash to at login: a hostile cost is refused here, the row named.
    const read = readForeignHash(passwordHash);
    if ('refused' in read) errors.password_hash = read.refused;
  }
  const input: UserFields = {
    ...(username && { username }),
    ...(email && { email }),
    firstName: text(fields.first_name),
    lastName: text(fields.last_name),
    phoneNumber: text(fields.phone_number),
    dateOfBirth: text(fields.date_of_birth),
    bio: text(fields.bio),
    ...(text(fields.theme) && { theme: text(fields.theme)! }),
    ...(text(fields.role) && { role: text(fields.role) as Role }),
    ...(text(fields.status) && { status: text(fields.status) as Status }),
  };
  Object.assign(errors, checkUserFields(input));
  const notifications = flag(fields.notifications, 'notifications', errors);
  const emailVerified = flag(fields.email_verified, 'email_verified', errors);
  const id = text(fields.id);
  if (id && !UUID.test(id)) errors.id = 'id must be a UUID';
  const createdAt = text(fields.created_at);
  const createdMs = createdAt ? timeOf(createdAt) : now;
  if (Number.isNaN(createdMs) || createdMs > now)
    errors.created_at = 'created_at must be an ISO 8601 date-time, not in the future';
  const lastLogin = text(fields.last_login);
  const lastLoginMs = lastLogin ? timeOf(lastLogin) : undefined;
  if (lastLoginMs !== undefined && (Number.isNaN(lastLoginMs) || lastLoginMs > now))
    errors.last_login = 'last_login must be an ISO 8601 date-time, not in the future';
  if (Object.keys(errors).length > 0) return { line, reason: describe(errors) };
  const record: NewUserRecord = {
    id: id ?? uuidv7(createdMs),
    username: username!,
    email: email!,
    passwordHash: passwordHash ?? null,
    role: (input.role ?? 'user') as (typeof ROLES)[number],
    status: (input.status ?? 'active') as (typeof STATUSES)[number],
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phoneNumber: input.phoneNumber ?? null,
    dateOfBirth: input.dateOfBirth ?? null,
    bio: input.bio ?? null,
    preferences: {
      theme: input.theme ?? DEFAULT_PREFERENCES.theme,
      notifications: notifications ?? DEFAULT_PREFERENCES.notifications,
    },
    // The operator vouches for the addresses of the users they bring, unless the file says otherwise.
    emailVerified: emailVerified ?? true,
    createdAt: new Date(createdMs).toISOString(),
    lastLoginAt: lastLoginMs === undefined ? null : new Date(lastLoginMs).toISOString(),
  };
  return { line, record, given, ...(password !== undefined && { password }) };
}

/**
 * What an upsert writes over an existing user: the fields the row gave (the
 * email only when it is another; a new address is vouched for, as an admin's
 * change of it is, unless the row says otherwise).
 */
function changesOf(row: CheckedRow, current: { email: string }): Omit<UserRecordChanges, 'updatedAt'> {
  const r = row.record;
  const has = (field: ImportField) => row.given.has(field);
  const newEmail = r.email !== current.email;
  return {
    ...(newEmail && { email: r.email }),
    ...(has('first_name') && { firstName: r.firstName }),
    ...(has('last_name') && { lastName: r.lastName }),
    ...(has('phone_number') && { phoneNumber: r.phoneNumber }),
    ...(has('date_of_birth') && { dateOfBirth: r.dateOfBirth }),
    ...(has('bio') && { bio: r.bio }),
    ...(has('role') && { role: r.role }),
    ...(has('status') && { status: r.status }),
    ...(has('theme') && { theme: r.preferences.theme }),
    ...(has('notifications') && { notifications: r.preferences.notifications }),
    ...((has('email_verified') || newEmail) && { emailVerified: r.emailVerified }),
    ...(r.passwordHash !== null && { passwordHash: r.passwordHash }),
  };
}

const BATCH = 1000;
const HASH_GROUP = 32;

/**
 * Imports `rows` as `actorId` (an admin, for the audit trail). Plain
 * passwords are hashed in parallel (as many at once as the hasher allows);
 * existing hashes cost nothing. Returns what was written; throws ImportError
 * (nothing written) at the first bad row unless `skipInvalid`.
 */
export async function importUsers<W>(
  deps: { storage: Storage; hasher: PasswordHasher; now: () => number; writer: ImportWriter<W> },
  rows: AsyncIterable<ImportRow>,
  actorId: string | null,
  o: ImportOptions,
): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, rejected: 0 };
  const actor: Principal = {
    userId: actorId,
    role: 'admin',
    sessionId: null,
    apiKeyId: null,
    authAt: null,
    client: { ip: 'cli', userAgent: 'usher-cli' },
  };
  // Updates are announced (caches, other instances) once the import has committed.
  const written: W[] = [];
  const seenNames = new Set<string>();
  const seenEmails = new Set<string>();
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
    const fresh: CheckedRow[] = [];
    const updates: Array<{ row: CheckedRow; user: { id: string; email: string } }> = [];
    for (const row of batch) {
      const sameName = byName.get(row.record.username.toLowerCase());
      const sameEmail = byEmail.get(row.record.email.toLowerCase());
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

  await deps.storage.transaction(async (s) => {
    let batch: CheckedRow[] = [];
    for await (const row of rows) {
      read++;
      if ('error' in row.fields) {
        reject(row.line, row.fields.error as string);
      } else {
        const checked = checkImportRow(row.line, row.fields, deps.now());
        if ('reason' in checked) reject(row.line, checked.reason, row.fields);
        else {
          // Duplicates inside the file are bad rows as well: the first one wins.
          const name = checked.record.username.toLowerCase();
          const email = checked.record.email.toLowerCase();
          if (seenNames.has(name))
            reject(row.line, `username ${checked.record.username} appears earlier in the file`, row.fields);
          else if (seenEmails.has(email))
            reject(row.line, `email ${checked.record.email} appears earlier in the file`, row.fields);
          else {
            seenNames.add(name);
            seenEmails.add(email);
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
        { actorId, client: { ip: 'cli', userAgent: 'usher-cli' } },
        {
          type: 'users.imported',
          targetId: null,
          details: { created: result.created, updated: result.updated, rejected: result.rejected },
        },
        when,
      ),
    );
  });
  for (const w of written) deps.writer.announce(w);
  return result;
}
