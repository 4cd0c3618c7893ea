import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * SCIM 2.0 per organization (issue 28 part 4):
 * - scim_tokens: the bearer tokens a directory (Entra ID, Okta) provisions one
 *   organization with; `token_hash` the SHA-256 of the secret (unique), shown
 *   once; `prefix` its first characters, to recognise it; ended by `revoked_at`.
 * - scim_users: a user the organization's directory provisioned: the
 *   `userName` it sent, kept as given (an email address is not an Usher
 *   username) with its lower-case key unique per organization, and the SCIM
 *   attributes Usher has no column for (`attributes`, JSON). Kept when the
 *   user is deleted, so a re-POST with the same externalId restores that user.
 * - scim_groups: a group of one organization's directory, mapped to the
 *   organization role of its displayName; its own id per organization, so
 *   one organization never sees another's groups.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('scim_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('scim_tokens_organization')
    .on('scim_tokens')
    .columns(['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('scim_users')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_name_key', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_users_pk', ['organization_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('scim_users_user_name')
    .on('scim_users')
    .columns(['organization_id', 'user_name_key'])
    .unique()
    .execute();
  await db.schema.createIndex('scim_users_user').on('scim_users').column('user_id').execute();

  await db.schema
    .createTable('scim_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('scim_groups_role')
    .on('scim_groups')
    .columns(['organization_id', 'role_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['scim_groups', 'scim_users', 'scim_tokens'])
    await db.schema.dropTable(table).ifExists().execute();
}
