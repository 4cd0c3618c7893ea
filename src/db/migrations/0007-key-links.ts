import { type Kysely, sql } from 'kysely';

/**
 * What an API key makes is linked to it: a user created through a key names
 * the key, so revoking the key can say what it made (issue 23). Most users
 * are made by no key, so the index holds only those that were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('created_by_key_id', 'text').execute();
  await db.schema
    .createIndex('users_created_by_key')
    .on('users')
    .column('created_by_key_id')
    .where(sql.ref('created_by_key_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_created_by_key').execute();
  await db.schema.alterTable('users').dropColumn('created_by_key_id').execute();
}
