import type { ImportRow } from '../user.import-rows.js';
import { firstByte, jsonLines } from './files.js';
import { jsonItems } from './json-items.js';
import { chunksOf } from './files.js';
import {
  type SourceOptions,
  type SourceReport,
  defined,
  metadataNames,
  objectOr,
  textOr,
  usernames,
} from './shared.js';

/**
 * Auth0's bulk user export (NDJSON, or the same users as a JSON array), and
 * the password-hash export Auth0's support hands over (`passwordHash`,
 * bcrypt; `_id.$oid` where `user_id` is absent). `user_id` (`auth0|…`,
 * `google-oauth2|…`) is the external id; `blocked` users are suspended;
 * user_metadata and app_metadata are kept apart in the custom data; an
 * app_metadata key or role named by `--admin-role` makes an admin.
 */
function rowOf(
  line: number,
  u: Record<string, unknown>,
  o: SourceOptions,
  report: SourceReport,
  name: ReturnType<typeof usernames>,
): ImportRow {
  const oid = textOr(objectOr(u._id)?.$oid);
  const externalId = textOr(u.user_id) ?? (oid && `auth0|${oid}`);
  const email = textOr(u.email);
  const userMetadata = objectOr(u.user_metadata);
  const appMetadata = objectOr(u.app_metadata);
  const admin = metadataNames(appMetadata, o.adminRole);
  const suspended = u.blocked === true;
  if (admin) report.admins++;
  if (suspended) report.suspended++;
  const custom =
    userMetadata || appMetadata ? defined({ user_metadata: userMetadata, app_metadata: appMetadata }) : undefined;
  return {
    line,
    fields: defined({
      external_id: externalId,
      username: name(line, textOr(u.username) ?? textOr(u.nickname), email),
      email,
      first_name: textOr(u.given_name),
      last_name: textOr(u.family_name),
      phone_number: textOr(u.phone_number),
      email_verified: typeof u.email_verified === 'boolean' ? u.email_verified : undefined,
      created_at: textOr(u.created_at),
      last_login: textOr(u.last_login),
      role: admin ? 'admin' : undefined,
      status: suspended ? 'suspended' : undefined,
      password_hash: textOr(u.passwordHash),
      custom_data: custom,
    }),
  };
}

export async function* auth0Rows(file: string, o: SourceOptions, report: SourceReport): AsyncGenerator<ImportRow> {
  const name = usernames(report);
  const records = (await firstByte(file)) === 0x5b ? jsonItems(chunksOf(file), 'root') : jsonLines(file);
  for await (const r of records) {
    report.read++;
    if ('error' in r) yield { line: r.line, fields: { error: r.error } };
    else {
      const u = objectOr(r.value);
      yield u ? rowOf(r.line, u, o, report, name) : { line: r.line, fields: { error: 'not a JSON object' } };
    }
  }
}
