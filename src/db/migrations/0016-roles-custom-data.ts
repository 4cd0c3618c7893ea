import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Roles the team defines, and users' own attributes (issue 28):
 * - roles: `name` (unique, compared as typed), `description`, `permissions`
 *   (a JSON array of strings like `invoices:read`), `scope` `global` or
 *   `organization`. They never grant access to Usher's own API: the built-in
 *   admin/moderator/user role in `users.role` keeps doing that.
 * - user_roles: global roles given to users.
 * - users.custom_data: a JSON object (text), checked against the user schema
 *   kept in `settings` under `user_schema`; NULL means `{}`.
 * - users.external_id: the id another system knows the user by (SCIM's
 *   `externalId`, an import's foreign id); unique when set.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
    .execute();
  await db.schema.createIndex('user_roles_role').on('user_roles').column('role_id').execute();

  await db.schema.alterTable('users').addColumn('custom_data', 'text').execute();
  await db.schema.alterTable('users').addColumn('external_id', 'text').execute();
  await db.schema.createIndex('users_external_id').on('users').column('external_id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_external_id').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('external_id').execute();
  await db.schema.alterTable('users').dropColumn('custom_data').execute();
  for (const table of ['user_roles', 'roles']) await db.schema.dropTable(table).ifExists().execute();
}
