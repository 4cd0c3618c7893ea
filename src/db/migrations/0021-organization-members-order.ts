import type { Kysely } from 'kysely';

/**
 * The members page's order (issue 28's benchmark, BENCHMARKS.md "Organizations"): an organization's members are
 * listed newest first by (`created_at`, `user_id`), which the primary key (`organization_id`, `user_id`) cannot give,
 * so every page sorted all of the organization's members (10,000 in a large one) before taking 20. This index gives
 * the order, so a page (and a cursor's position) reads only the rows it shows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('organization_members_joined')
    .on('organization_members')
    .columns(['organization_id', 'created_at', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organization_members_joined').ifExists().execute();
}
