import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * applications: the OpenID Connect clients of the provider (issue 25). The
 * client id is unique; the secret is stored only as its SHA-256 (null for
 * public clients). The lists (redirect URIs, post-logout redirect URIs,
 * scopes) are JSON arrays in text columns on both dialects: they are read and
 * written whole, never queried inside.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('first_party', t.boolean, (c) => c.notNull())
    .addColumn('logo_uri', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('applications_client_id').on('applications').column('client_id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('applications').ifExists().execute();
}
