import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/** The longest access-token lifetime Usher accepts (USHER_ACCESS_TOKEN_TTL's maximum, 7 days), in ms. */
const LONGEST_ACCESS_TOKEN_MS = 7 * 86400 * 1000;

/**
 * Asymmetric signing keys (ES256, EdDSA, RS256) and secrets at rest:
 * - signing_keys.state: 'next' (published, not signing yet), 'current' (signs)
 *   or 'retired' (verifies until retires_at); a partial unique index allows
 *   one next and one current, so instances starting together make them once
 *   (the losers' inserts conflict and they read the winners' keys).
 * - public_jwk (JSON; null for HS256), private_key (the private JWK's JSON,
 *   sealed by core/security/secret-box.ts when USHER_SECRETS_KEY is set),
 *   retires_at, activated_at (when it began to sign). `secret` stays for HS256 rows ('' for asymmetric ones).
 * - The HS256 keys of earlier versions become retired, verification-only
 *   keys: tokens they signed stay good until they expire (at most the longest
 *   access-token lifetime from now); they are never published. Where no
 *   session exists no token can be good, so they are deleted instead (a new
 *   database keeps no HS256 secret it never used).
 * - settings: name → value; holds the secret box's check value, so a wrong
 *   USHER_SECRETS_KEY is refused at start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('signing_keys')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('retired'))
    .execute();
  await db.schema.alterTable('signing_keys').addColumn('public_jwk', 'text').execute();
  await db.schema.alterTable('signing_keys').addColumn('private_key', 'text').execute();
  await db.schema.alterTable('signing_keys').addColumn('retires_at', t.timestamp).execute();
  await db.schema.alterTable('signing_keys').addColumn('activated_at', t.timestamp).execute();
  if (!(await db.selectFrom('sessions').select('id').executeTakeFirst()))
    await db.deleteFrom('signing_keys').where('alg', '=', 'HS256').execute();
  await db
    .updateTable('signing_keys')
    .set({ state: 'retired', retires_at: new Date(Date.now() + LONGEST_ACCESS_TOKEN_MS).toISOString() })
    .execute();
  await sql`create unique index signing_keys_one_per_state on signing_keys (state) where state <> 'retired'`.execute(
    db,
  );
  await db.schema
    .createTable('settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').ifExists().execute();
  await sql`drop index if exists signing_keys_one_per_state`.execute(db);
  await db.deleteFrom('signing_keys').where('alg', '<>', 'HS256').execute();
  for (const column of ['activated_at', 'retires_at', 'private_key', 'public_jwk', 'state'])
    await db.schema.alterTable('signing_keys').dropColumn(column).execute();
}
