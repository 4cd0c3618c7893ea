import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The sign-in methods of issue 26:
 * - auth_challenges: single-use states of a sign-in in two steps (a passkey's
 *   challenge, an upstream provider's state, nonce and PKCE verifier), shared
 *   by every instance, taken (deleted) by the step that spends them.
 * - passkeys: WebAuthn credentials, the public key and its signature counter.
 * - identity_providers: upstream OpenID / GitHub providers; the client secret
 *   sealed by USHER_SECRETS_KEY when set.
 * - user_identities: a user's accounts at those providers, one per
 *   (provider, subject).
 * - mfa_challenges gains how the first factor was proved (`method`,
 *   `provider_id`), so the login the second factor finishes is audited with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('auth_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_challenges_expires_at').on('auth_challenges').column('expires_at').execute();

  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('device_type', 'text', (c) => c.notNull())
    .addColumn('backed_up', t.boolean, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .execute();
  await db.schema.createIndex('passkeys_credential_id').on('passkeys').column('credential_id').unique().execute();
  await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute();

  await db.schema
    .createTable('identity_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('enabled', t.boolean, (c) => c.notNull())
    .addColumn('auto_create', t.boolean, (c) => c.notNull())
    .addColumn('authorization_url', 'text')
    .addColumn('token_url', 'text')
    .addColumn('api_url', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_identities')
    .addColumn('provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('linked_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_identities_pk', ['provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user_id').on('user_identities').column('user_id').execute();

  await db.schema.alterTable('mfa_challenges').addColumn('method', 'text').execute();
  await db.schema.alterTable('mfa_challenges').addColumn('provider_id', 'text').execute();
  // One identity per provider and user (the API names it by provider); user_id leads, for a user's list.
  await db.schema
    .createIndex('user_identities_user_provider')
    .on('user_identities')
    .columns(['user_id', 'provider_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['provider_id', 'method'])
    await db.schema.alterTable('mfa_challenges').dropColumn(column).execute();
  for (const table of ['user_identities', 'identity_providers', 'passkeys', 'auth_challenges'])
    await db.schema.dropTable(table).ifExists().execute();
}
