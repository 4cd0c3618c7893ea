import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Organizations (issue 28):
 * - organizations: `slug` unique (lower case), `domains` a JSON array of
 *   lower-case email domains an admin vouches for (home realm discovery),
 *   `custom_data` a JSON object.
 * - organization_domains: the same domains, one row each, unique across
 *   organizations, so an address routes to one organization by index.
 * - organization_members: who belongs; organization_member_roles: their
 *   roles there (roles of scope `organization`).
 * - organization_invitations: `code_hash` is the SHA-256 of the invitation
 *   id and the mailed 6-digit code; an invitation is found by the invited
 *   address (`email_key`, the signed-in user's), then its code compared, so a
 *   code alone opens nothing. `roles` a JSON array of role ids; ended by
 *   `accepted_at` or `revoked_at`.
 * - sessions.organization_id: the organization a session's tokens are for
 *   (`organization_id` at login or refresh, the `organizations` scope), NULL
 *   for none; checked against membership at every refresh.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('custom_data', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('organizations_name_key').on('organizations').columns(['name_key', 'id']).execute();

  await db.schema
    .createTable('organization_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('organization_domains_organization')
    .on('organization_domains')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('organization_members')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('organization_members_user')
    .on('organization_members')
    .columns(['user_id', 'organization_id'])
    .execute();

  await db.schema
    .createTable('organization_member_roles')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('organization_member_roles_pk', ['organization_id', 'user_id', 'role_id'])
    .addForeignKeyConstraint(
      'organization_member_roles_member',
      ['organization_id', 'user_id'],
      'organization_members',
      ['organization_id', 'user_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('organization_member_roles_role')
    .on('organization_member_roles')
    .columns(['role_id', 'organization_id'])
    .execute();

  await db.schema
    .createTable('organization_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text')
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('accepted_at', t.timestamp)
    .addColumn('accepted_by', 'text')
    .addColumn('revoked_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('organization_invitations_organization')
    .on('organization_invitations')
    .columns(['organization_id', 'id'])
    .execute();
  await db.schema
    .createIndex('organization_invitations_email')
    .on('organization_invitations')
    .column('email_key')
    .execute();

  await db.schema.alterTable('sessions').addColumn('organization_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('organization_id').execute();
  for (const table of [
    'organization_invitations',
    'organization_member_roles',
    'organization_members',
    'organization_domains',
    'organizations',
  ])
    await db.schema.dropTable(table).ifExists().execute();
}
