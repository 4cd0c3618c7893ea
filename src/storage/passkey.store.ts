import type { PasskeyRecord, PasskeyStore } from '../core/storage.js';
import { AppError } from '../core/errors.js';
import { uniqueViolation } from '../db/database.js';
import type { PasskeysTable } from '../db/schema.sign-in.js';
import type { StoreContext } from './store-context.js';

/** Row → record. PostgreSQL answers bigint as a string, SQLite booleans as 0/1. */
function toRecord(row: PasskeysTable): PasskeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    backedUp: Boolean(row.backed_up),
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** The passkeys table: users' WebAuthn credentials. */
export function passkeyStore({ db, dialect }: StoreContext): PasskeyStore {
  const bool = (value: boolean) => (dialect === 'postgres' ? value : value ? 1 : 0);
  return {
    async countOf(userId) {
      const row = await db
        .selectFrom('passkeys')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async listOf(userId) {
      const rows = await db
        .selectFrom('passkeys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async ownedBy(userId, id) {
      const row = await db
        .selectFrom('passkeys')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async byCredentialId(credentialId) {
      const row = await db
        .selectFrom('passkeys')
        .selectAll()
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async insert(p) {
      try {
        await db
          .insertInto('passkeys')
          .values({
            id: p.id,
            user_id: p.userId,
            credential_id: p.credentialId,
            public_key: p.publicKey,
            counter: p.counter,
            transports: JSON.stringify(p.transports),
            device_type: p.deviceType,
            backed_up: bool(p.backedUp),
            name: p.name,
            created_at: p.createdAt,
            last_used_at: p.lastUsedAt,
          })
          .execute();
      } catch (error) {
        if (uniqueViolation(error))
          throw new AppError('DUPLICATE_RESOURCE', 'This passkey is registered already', { field: 'credential' });
        throw error;
      }
    },
    async rename(userId, id, name) {
      const result = await db
        .updateTable('passkeys')
        .set({ name })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async remove(userId, id) {
      const result = await db
        .deleteFrom('passkeys')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async recordUse(id, use) {
      const result = await db
        .updateTable('passkeys')
        .set({ counter: use.to, backed_up: bool(use.backedUp), last_used_at: use.at })
        .where('id', '=', id)
        .where('counter', '=', use.from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
