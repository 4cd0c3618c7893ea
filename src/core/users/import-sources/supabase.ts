import type { ImportRow } from '../user.import-rows.js';
import { csvRecords, firstByte, jsonLines } from './files.js';
import {
  type SourceOptions,
  type SourceReport,
  defined,
  idFields,
  metadataNames,
  parsedObject,
  skip,
  textOr,
  usernames,
} from './shared.js';

/**
 * Supabase's `auth.users`, as CSV with a header (`\copy auth.users to … csv
 * header`, or the table editor's export) or as JSON lines. The UUID id is
 * kept; `encrypted_password` is bcrypt; `banned_until` in the future
 * suspends; a `deleted_at` user is skipped unless --include-deleted (then
 * imported suspended); anonymous users (no email) are skipped; the two
 * metadata columns are kept apart in the custom data.
 */

const timeOf = (value: string | undefined): number => {
  if (!value) return Number.NaN;
  const iso = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return Date.parse(iso);
};

function rowOf(
  line: number,
  u: Record<string, unknown>,
  o: SourceOptions,
  report: SourceReport,
  name: ReturnType<typeof usernames>,
  now: number,
): ImportRow | undefined {
  const deleted = textOr(u.deleted_at) !== undefined;
  if (deleted && !o.includeDeleted) {
    skip(report, 'deleted');
    return undefined;
  }
  if (u.is_anonymous === true || u.is_anonymous === 'true' || u.is_anonymous === 't') {
    skip(report, 'anonymous');
    return undefined;
  }
  const userMeta = parsedObject(u.raw_user_meta_data);
  const appMeta = parsedObject(u.raw_app_meta_data);
  if (userMeta === 'bad' || appMeta === 'bad')
    return { line, fields: { error: 'raw_user_meta_data and raw_app_meta_data must be JSON objects' } };
  const email = textOr(u.email);
  const admin = metadataNames(appMeta, o.adminRole);
  const suspended = deleted || timeOf(textOr(u.banned_until)) > now;
  if (admin) report.admins++;
  if (suspended) report.suspended++;
  const phone = textOr(u.phone);
  return {
    line,
    fields: defined({
      ...idFields(u.id),
      username: name(line, textOr(userMeta?.username) ?? textOr(userMeta?.user_name), email),
      email,
      first_name: textOr(userMeta?.first_name) ?? textOr(userMeta?.given_name),
      last_name: textOr(userMeta?.last_name) ?? textOr(userMeta?.family_name),
      // Supabase keeps E.164 numbers without their +.
      phone_number: phone && /^\d+$/.test(phone) ? `+${phone}` : phone,
      email_verified: textOr(u.email_confirmed_at) !== undefined,
      created_at: textOr(u.created_at),
      last_login: textOr(u.last_sign_in_at),
      role: admin ? 'admin' : undefined,
      status: suspended ? 'suspended' : undefined,
      password_hash: textOr(u.encrypted_password),
      custom_data: userMeta || appMeta ? defined({ user_metadata: userMeta, app_metadata: appMeta }) : undefined,
    }),
  };
}

export async function* supabaseRows(
  file: string,
  o: SourceOptions,
  report: SourceReport,
  now: number,
): AsyncGenerator<ImportRow> {
  const name = usernames(report);
  const jsonl = (await firstByte(file)) === 0x7b;
  const records = jsonl
    ? jsonLines(file)
    : (async function* () {
        for await (const { line, record } of csvRecords(file)) yield { line, value: record as unknown };
      })();
  for await (const r of records) {
    report.read++;
    if ('error' in r) {
      yield { line: r.line, fields: { error: r.error } };
      continue;
    }
    const u = r.value && typeof r.value === 'object' ? (r.value as Record<string, unknown>) : undefined;
    if (!u) {
      yield { line: r.line, fields: { error: 'not a JSON object' } };
      continue;
    }
    const row = rowOf(r.line, u, o, report, name, now);
    if (row) yield row;
  }
}
