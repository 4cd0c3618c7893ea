import { firebaseHash } from '../../security/foreign-hashes.js';
import { foreignKeyRef } from '../../security/foreign-keys.js';
import type { ImportRow } from '../user.import-rows.js';
import { chunksOf } from './files.js';
import { jsonItems } from './json-items.js';
import {
  type FirebaseParams,
  type SourceOptions,
  type SourceReport,
  defined,
  idFields,
  isoOfMs,
  metadataNames,
  objectOr,
  parsedObject,
  textOr,
  usernames,
} from './shared.js';

/**
 * Firebase's `firebase auth:export users.json --format=json`: `{users: [...]}`
 * with `localId`, `email`, `emailVerified`, `passwordHash` and `salt` (its
 * modified scrypt, under the project's parameters given on the command line),
 * `displayName`, `disabled`, `createdAt` and `lastSignedInAt` (milliseconds),
 * `customAttributes` (the custom claims, as JSON text: the custom data; a
 * claim named by `--admin-role` makes an admin). A localId that is not a UUID
 * (Firebase's are 28 characters) is the external id.
 */
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The project's parameters, checked: the message says which flag is wrong. */
export function checkFirebaseParams(p: FirebaseParams): string | undefined {
  if (!B64.test(p.hashKey) || Buffer.from(p.hashKey, 'base64').length < 16)
    return '--hash-key must be the base64 signer key the Firebase console shows';
  if (!B64.test(p.saltSeparator)) return '--salt-separator must be base64';
  if (!Number.isInteger(p.rounds) || p.rounds < 1 || p.rounds > 8) return '--rounds must be a whole number from 1 to 8';
  if (!Number.isInteger(p.memCost) || p.memCost < 1 || p.memCost > 14)
    return '--mem-cost must be a whole number from 1 to 14';
  return undefined;
}

function rowOf(
  line: number,
  u: Record<string, unknown>,
  o: SourceOptions,
  report: SourceReport,
  name: ReturnType<typeof usernames>,
  keyRef: string | undefined,
): ImportRow {
  const claims = parsedObject(u.customAttributes);
  if (claims === 'bad') return { line, fields: { error: 'customAttributes must be a JSON object' } };
  // The CLI writes standard base64; a web-safe one (the REST API's) is the same bytes.
  const normal = (v: unknown) => textOr(v)?.replace(/-/g, '+').replace(/_/g, '/');
  const hash = normal(u.passwordHash);
  const salt = normal(u.salt) ?? '';
  let passwordHash: string | undefined;
  if (hash) {
    if (!o.firebase || !keyRef)
      return {
        line,
        fields: {
          error: 'a password hash needs the project parameters (--hash-key, --salt-separator, --rounds, --mem-cost)',
        },
      };
    const p = o.firebase;
    passwordHash = firebaseHash({
      keyRef,
      rounds: p.rounds,
      memCost: p.memCost,
      salt,
      separator: p.saltSeparator,
      hash,
    });
  }
  const email = textOr(u.email);
  const admin = metadataNames(claims, o.adminRole);
  const suspended = u.disabled === true;
  if (admin) report.admins++;
  if (suspended) report.suspended++;
  return {
    line,
    fields: defined({
      ...idFields(u.localId),
      username: name(line, undefined, email),
      email,
      first_name: textOr(u.displayName),
      phone_number: textOr(u.phoneNumber),
      email_verified: typeof u.emailVerified === 'boolean' ? u.emailVerified : undefined,
      created_at: isoOfMs(u.createdAt),
      last_login: isoOfMs(u.lastSignedInAt),
      role: admin ? 'admin' : undefined,
      status: suspended ? 'suspended' : undefined,
      password_hash: passwordHash,
      custom_data: claims,
    }),
  };
}

export async function* firebaseRows(file: string, o: SourceOptions, report: SourceReport): AsyncGenerator<ImportRow> {
  const name = usernames(report);
  const keyRef = o.firebase && foreignKeyRef(o.firebase.hashKey);
  for await (const { line, value } of jsonItems(chunksOf(file), 'users')) {
    report.read++;
    yield rowOf(line, objectOr(value)!, o, report, name, keyRef);
  }
}
