import type { ImportRow } from '../user.import-rows.js';
import { csvRecords } from './files.js';
import {
  type SourceOptions,
  type SourceReport,
  defined,
  idFields,
  metadataNames,
  parsedObject,
  textOr,
  usernames,
} from './shared.js';

/**
 * Clerk's user export (Dashboard → Settings → Export users: a CSV with `id`,
 * `first_name`, `last_name`, `username`, `primary_email_address`,
 * `primary_phone_number`, `verified_email_addresses`, `totp_secret`,
 * `password_digest`, `password_hasher`, and the metadata columns when
 * present). `user_…` ids are external ids; a bcrypt digest is kept (another
 * hasher refuses the row); a TOTP secret (base32, Clerk's default RFC 6238
 * parameters) becomes the user's; a public_metadata key or role named by
 * `--admin-role` makes an admin; the metadata columns are the custom data.
 */
const META = ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const;

function rowOf(
  line: number,
  u: Record<string, string>,
  o: SourceOptions,
  report: SourceReport,
  name: ReturnType<typeof usernames>,
): ImportRow {
  const meta: Record<string, Record<string, unknown> | undefined> = {};
  for (const column of META) {
    const value = parsedObject(u[column]);
    if (value === 'bad') return { line, fields: { error: `${column} must be a JSON object` } };
    meta[column] = value;
  }
  const hasher = textOr(u.password_hasher);
  const digest = textOr(u.password_digest);
  if (digest && hasher && hasher !== 'bcrypt')
    return { line, fields: { error: `password_hasher ${hasher} is not supported (bcrypt is)` } };
  const totp = textOr(u.totp_secret)?.toUpperCase().replace(/[\s=]/g, '');
  if (totp !== undefined && !/^[A-Z2-7]+$/.test(totp)) return { line, fields: { error: 'totp_secret is not base32' } };
  const email = textOr(u.primary_email_address);
  const verified = (u.verified_email_addresses ?? '').split(/[,;\s]+/).filter(Boolean);
  const admin = metadataNames(meta.public_metadata, o.adminRole);
  if (admin) report.admins++;
  if (totp) report.totp++;
  const custom = Object.values(meta).some(Boolean) ? defined(meta) : undefined;
  return {
    line,
    ...(totp && { totp }),
    fields: defined({
      ...idFields(u.id),
      username: name(line, textOr(u.username), email),
      email,
      first_name: textOr(u.first_name),
      last_name: textOr(u.last_name),
      phone_number: textOr(u.primary_phone_number),
      // Without the column the operator vouches for the address, as with every import.
      email_verified:
        email && u.verified_email_addresses !== undefined
          ? verified.some((v) => v.toLowerCase() === email.toLowerCase())
          : undefined,
      created_at: textOr(u.created_at),
      role: admin ? 'admin' : undefined,
      password_hash: digest,
      custom_data: custom,
    }),
  };
}

export async function* clerkRows(file: string, o: SourceOptions, report: SourceReport): AsyncGenerator<ImportRow> {
  const name = usernames(report);
  for await (const { line, record } of csvRecords(file)) {
    report.read++;
    yield rowOf(line, record, o, report, name);
  }
}
