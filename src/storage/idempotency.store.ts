import type { Kysely } from 'kysely';
import type { IdempotencyStore } from '../core/storage.js';
import type { Schema } from '../db/schema.js';

/** The idempotency_keys table: first answers to requests sent with an Idempotency-Key, shared by every instance. */
export function idempotencyStore(db: Kysely<Schema>): IdempotencyStore {
  return {
    async claim(scopeKey, requestHash, at, expiresAt) {
      await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).where('expires_at', '<=', at).execute();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ scope_key: scopeKey, request_hash: requestHash, status: null, body: null, created_at: at, expires_at: expiresAt })
        .onConflict((oc) => oc.column('scope_key').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async find(scopeKey) {
      const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status', 'body']).where('scope_key', '=', scopeKey).executeTakeFirst();
      return row && { requestHash: row.request_hash, status: row.status, body: row.body };
    },
    async complete(scopeKey, status, body) {
      await db.updateTable('idempotency_keys').set({ status, body }).where('scope_key', '=', scopeKey).execute();
    },
    async release(scopeKey) {
      await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).execute();
    },
    async deleteExpired(before) {
      await db.deleteFrom('idempotency_keys').where('expires_at', '<', before).execute();
    },
  };
}
