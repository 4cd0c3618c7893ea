import type { IdempotencyStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** The idempotency_keys table: first answers to requests sent with an Idempotency-Key, shared by every instance. */
export function idempotencyStore({ db }: StoreContext): IdempotencyStore {
  return {
    async claim(scopeKey, caller, requestHash, at, expiresAt) {
      await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).where('expires_at', '<=', at).execute();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          scope_key: scopeKey,
          caller,
          request_hash: requestHash,
          status: null,
          body: null,
          created_at: at,
          expires_at: expiresAt,
        })
        .onConflict((oc) => oc.column('scope_key').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async find(scopeKey) {
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status', 'body'])
        .where('scope_key', '=', scopeKey)
        .executeTakeFirst();
      return row && { requestHash: row.request_hash, status: row.status, body: row.body };
    },
    async complete(scopeKey, status, body) {
      await db.updateTable('idempotency_keys').set({ status, body }).where('scope_key', '=', scopeKey).execute();
    },
    async release(scopeKey) {
      await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).execute();
    },
    async trim(caller, keep) {
      // Normally one row is over the bound (the one just stored pushed it out); a few more after a race.
      const over = await db
        .selectFrom('idempotency_keys')
        .select('scope_key')
        .where('caller', '=', caller)
        .orderBy('created_at', 'desc')
        .orderBy('scope_key', 'desc')
        .limit(100)
        .offset(keep)
        .execute();
      if (over.length > 0)
        await db
          .deleteFrom('idempotency_keys')
          .where(
            'scope_key',
            'in',
            over.map((r) => r.scope_key),
          )
          .execute();
    },
    async deleteExpired(before) {
      await db.deleteFrom('idempotency_keys').where('expires_at', '<', before).execute();
    },
  };
}
