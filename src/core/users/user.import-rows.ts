import { customDataText } from '../custom-data/custom-data.rules.js';
import type { CompiledUserSchema } from '../custom-data/user-schema.js';
import { AppError, type FieldErrors } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { readForeignHash } from '../security/foreign-hashes.js';
import type { NewUserRecord, UserRecordChanges } from '../storage.js';
import { DEFAULT_PREFERENCES, type ROLES, type STATUSES, type Role, type Status } from '../types.js';
import { checkPassword, checkUserFields, type UserFields } from './user.rules.js';

/**
 * The import's row rules: a row of a file (its raw fields, as CSV or JSONL
 * gave them) made a checked user by the same field rules as every other
 * write, or refused with the reason; and what a row changes of a user it
 * updates. No storage here: user.import.ts writes the rows.
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
  'custom_data',
  'external_id',
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
  /** The new user's TOTP secret (base32), when the row brings an authenticator from another system. */
  totp?: string;
}

/** A row that passed the checks: the user to write, and the plain password still to hash. */
export interface CheckedRow {
  line: number;
  record: NewUserRecord;
  given: Set<string>;
  password?: string;
  /** The TOTP secret (base32) still to seal for the user. */
  totp?: string;
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

/**
 * custom_data as a file gives it: an object (JSONL) or its JSON text (a CSV cell); shape rule and user schema checked.
 */
function customDataField(
  value: unknown,
  schema: CompiledUserSchema | null,
  errors: FieldErrors,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch {
      errors.custom_data = 'must be a JSON object';
      return undefined;
    }
  }
  try {
    customDataText(data);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    Object.assign(errors, error.details);
    return undefined;
  }
  Object.assign(errors, schema?.check(data));
  return data as Record<string, unknown>;
}

/** Checks one row; the user it describes, or why it is bad. */
export function checkImportRow(
  line: number,
  fields: Record<string, unknown>,
  now: number,
  schema: CompiledUserSchema | null = null,
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
    externalId: text(fields.external_id),
  };
  const customData = customDataField(fields.custom_data, schema, errors);
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
    customData: customData ?? {},
    externalId: input.externalId ?? null,
  };
  return { line, record, given, ...(password !== undefined && { password }) };
}

/**
 * What an upsert writes over an existing user: the fields the row gave (the
 * email only when it is another; a new address is vouched for, as an admin's
 * change of it is, unless the row says otherwise).
 */
export function changesOf(row: CheckedRow, current: { email: string }): Omit<UserRecordChanges, 'updatedAt'> {
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
    ...(has('custom_data') && { customData: r.customData ?? {} }),
    ...(has('external_id') && { externalId: r.externalId }),
  };
}
