import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Single sign-on per organization (issue 28 part 5): an organization's
 * provider is an upstream identity provider (the same table, the same flow)
 * with `organization_id` set, at most one per organization (a unique index;
 * NULL for the deployment's own providers, which any number may be), deleted
 * with its organization. `enforced`: the organization's members may not sign
 * in with a password.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('identity_providers')
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .execute();
  await db.schema
    .alterTable('identity_providers')
    .addColumn('enforced', t.boolean, (c) => c.notNull().defaultTo(sql.raw(t.false)))
    .execute();
  await db.schema
    .createIndex('identity_providers_organization')
    .unique()
    .on('identity_providers')
    .column('organization_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('identity_providers_organization').ifExists().execute();
  await db.schema.alterTable('identity_providers').dropColumn('enforced').execute();
  await db.schema.alterTable('identity_providers').dropColumn('organization_id').execute();
}
