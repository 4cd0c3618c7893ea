import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportRow } from '../user.import-rows.js';
import { UnreadableFile, chunksOf } from './files.js';
import { jsonItems } from './json-items.js';
import { keycloakPasswordHash, keycloakTotp } from './keycloak-credentials.js';
import {
  type SourceOptions,
  type SourceReport,
  defined,
  idFields,
  isoOfMs,
  objectOr,
  skip,
  textOr,
  usernames,
} from './shared.js';

/**
 * Keycloak's realm export (`kc.sh export`): the realm file with its `users`,
 * the `<realm>-users-N.json` files (each `{realm, users: [...]}`), or a
 * folder of them, read one file and one user at a time. Service accounts are
 * left out; a disabled user is suspended; realm role `--admin-role` makes an
 * admin; attributes (single values unwrapped) are the user's custom data.
 */

/** The files of a folder export, realm file first, then the users files in their number's order. */
export function keycloakFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const order = (name: string) => {
    const m = /-users-(\d+)\.json$/.exec(name);
    return m ? Number(m[1]) : -1;
  };
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  if (files.length === 0) throw new UnreadableFile(1, `${path} holds no .json files of a Keycloak export`);
  return files.map((name) => join(path, name));
}

const attributesOf = (value: unknown): Record<string, unknown> | undefined => {
  const attributes = objectOr(value);
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v]),
  );
};

/** One Keycloak user as an import row; undefined when it is left out. */
function rowOf(
  line: number,
  u: Record<string, unknown>,
  o: SourceOptions,
  report: SourceReport,
  name: ReturnType<typeof usernames>,
): ImportRow | undefined {
  if (u.serviceAccountClientId !== undefined) {
    skip(report, 'service accounts');
    return undefined;
  }
  const credentials = Array.isArray(u.credentials) ? u.credentials.map(objectOr).filter((c) => c !== undefined) : [];
  const byPriority = (type: string) =>
    credentials.filter((c) => c.type === type).sort((a, b) => Number(a.priority ?? 0) - Number(b.priority ?? 0))[0];
  const password = byPriority('password');
  let passwordHash: string | undefined;
  if (password) {
    const read = keycloakPasswordHash(password);
    if ('error' in read) return { line, fields: { error: read.error } };
    passwordHash = read.hash;
  }
  const otp = byPriority('otp');
  let totp: string | undefined;
  if (otp) {
    const read = keycloakTotp(otp);
    if ('error' in read) return { line, fields: { error: read.error } };
    totp = read.secret;
  }
  const email = textOr(u.email);
  const admin = o.adminRole !== undefined && Array.isArray(u.realmRoles) && u.realmRoles.includes(o.adminRole);
  const suspended = u.enabled === false;
  if (admin) report.admins++;
  if (suspended) report.suspended++;
  if (totp) report.totp++;
  const attributes = attributesOf(u.attributes);
  return {
    line,
    ...(totp && { totp }),
    fields: defined({
      ...idFields(u.id),
      username: name(line, textOr(u.username), email),
      email,
      first_name: textOr(u.firstName),
      last_name: textOr(u.lastName),
      email_verified: u.emailVerified === true,
      created_at: isoOfMs(u.createdTimestamp),
      role: admin ? 'admin' : undefined,
      status: suspended ? 'suspended' : undefined,
      password_hash: passwordHash,
      custom_data: attributes,
    }),
  };
}

export async function* keycloakRows(path: string, o: SourceOptions, report: SourceReport): AsyncGenerator<ImportRow> {
  const name = usernames(report);
  const files = keycloakFiles(path);
  for (const file of files) {
    for await (const { line, value } of jsonItems(chunksOf(file), 'users', files.length > 1)) {
      report.read++;
      const row = rowOf(line, value as Record<string, unknown>, o, report, name);
      if (row) yield row;
    }
  }
}
