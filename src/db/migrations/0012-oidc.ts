import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The OpenID provider's storage (issue 25), so a code issued by one instance
 * is redeemed at another:
 * - `oidc_payloads`: every artifact oidc-provider keeps (sessions, grants,
 *   interactions, codes, opaque tokens, device codes), as its JSON payload,
 *   with the columns it looks them up by. `account_id` and `client_id` let a
 *   consent's withdrawal find the grants it made; `consumed_at` marks a
 *   used code or rotated refresh token.
 * - `oidc_session_links`: the browser's provider session (its uid) and the
 *   Usher session its sign-in started, so that ending the Usher session
 *   (logout, revoke, suspension) ends what the provider issued under it.
 * - `oidc_consents`: what a user allowed a third-party application, kept
 *   across browser sessions until the user withdraws it.
 * - `oidc_refresh_answers`: a rotated refresh token's answer, sealed with a
 *   key derived from that token, for the reuse grace window.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('oidc_payloads')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('expires_at', t.timestamp)
    .addColumn('consumed_at', t.timestamp)
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['kind', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').columns(['kind', 'user_code']).execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').columns(['kind', 'uid']).execute();
  await db.schema
    .createIndex('oidc_payloads_account')
    .on('oidc_payloads')
    .columns(['account_id', 'client_id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_expiry').on('oidc_payloads').column('expires_at').execute();

  await db.schema
    .createTable('oidc_session_links')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_session_links_session').on('oidc_session_links').column('session_id').execute();

  await db.schema
    .createTable('oidc_consents')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_consents_pk', ['user_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('oidc_refresh_answers')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['oidc_refresh_answers', 'oidc_consents', 'oidc_session_links', 'oidc_payloads'])
    await db.schema.dropTable(table).execute();
}
