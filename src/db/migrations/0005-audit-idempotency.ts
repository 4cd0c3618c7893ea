import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * - audit_events: the audit trail (who did what to which user, when, from
 *   where), newest first by id (UUIDv7, time-ordered), filterable by actor,
 *   target and type; swept by age.
 * - idempotency_keys: the first answer to a POST sent with an
 *   Idempotency-Key, replayed to retries for 24 hours (shared by instances).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['actor_id', 'target_id', 'type']) {
    await db.schema.createIndex(`audit_events_${column}`).on('audit_events').columns([column, 'id']).execute();
  }
  await db.schema.createIndex('audit_events_created_at').on('audit_events').column('created_at').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope_key', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_at').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').ifExists().execute();
  await db.schema.dropTable('audit_events').ifExists().execute();
}
