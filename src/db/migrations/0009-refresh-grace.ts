import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The refresh token's grace window (USHER_REFRESH_REUSE_GRACE): a rotated
 * token keeps its successor sealed beside it (`successor`: AES-GCM under a
 * key derived from the rotated token and an epoch secret), and the epoch
 * secrets live in `refresh_grace_keys` only a few windows long, so a sealed
 * successor cannot be opened once its window is over, with or without the
 * old token.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('refresh_tokens').addColumn('successor', 'text').execute();
  await db.schema
    .createTable('refresh_grace_keys')
    .addColumn('epoch', 'bigint', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('refresh_grace_keys').ifExists().execute();
  await db.schema.alterTable('refresh_tokens').dropColumn('successor').execute();
}
