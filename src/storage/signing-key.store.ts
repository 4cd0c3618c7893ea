import type { KeyState, SettingsStore, SigningKeyRecord, SigningKeyStore } from '../core/storage.js';
import type { SigningKeysTable } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

const toRecord = (r: Omit<SigningKeysTable, 'state'> & { state: string }): SigningKeyRecord => ({
  kid: r.kid,
  alg: r.alg,
  state: r.state as KeyState,
  publicJwk: r.public_jwk,
  privateKey: r.private_key,
  secret: r.secret,
  createdAt: r.created_at,
  retiresAt: r.retires_at,
  activatedAt: r.activated_at,
});

/**
 * The signing_keys table: the keys tokens are signed with (see core/auth/key-ring.ts). One next and one current key
 * at most (a partial unique index): an insert that collides with another instance's answers false.
 */
export function signingKeyStore({ db, inTransaction, dialect }: StoreContext): SigningKeyStore {
  // Inside a rotation's transaction on PostgreSQL, rows read are locked until it ends.
  const lock = inTransaction && dialect === 'postgres';
  return {
    async all() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
      return rows.map(toRecord);
    },
    async insert(key) {
      const result = await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          state: key.state,
          public_jwk: key.publicJwk,
          private_key: key.privateKey,
          secret: key.secret,
          created_at: key.createdAt,
          retires_at: key.retiresAt,
          activated_at: key.activatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    async move(kid, from, to, stamp) {
      if (lock) await db.selectFrom('signing_keys').select('kid').where('kid', '=', kid).forUpdate().executeTakeFirst();
      const result = await db
        .updateTable('signing_keys')
        .set({
          state: to,
          ...(stamp.retiresAt !== undefined && { retires_at: stamp.retiresAt }),
          ...(stamp.activatedAt !== undefined && { activated_at: stamp.activatedAt }),
        })
        .where('kid', '=', kid)
        .where('state', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async dropNext(kid) {
      const result = await db
        .deleteFrom('signing_keys')
        .where('kid', '=', kid)
        .where('state', '=', 'next')
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async reseal(kid, was, now) {
      await db
        .updateTable('signing_keys')
        .set({ private_key: now.privateKey, secret: now.secret })
        .where('kid', '=', kid)
        .where('secret', '=', was.secret)
        .where((eb) =>
          was.privateKey === null ? eb('private_key', 'is', null) : eb('private_key', '=', was.privateKey),
        )
        .execute();
    },
    async deleteRetired(before) {
      const result = await db
        .deleteFrom('signing_keys')
        .where('state', '=', 'retired')
        .where('retires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The settings table: small named values. */
export function settingsStore({ db }: StoreContext): SettingsStore {
  const get = async (name: string) =>
    (await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
  return {
    get,
    async setIfAbsent(name, value) {
      await db
        .insertInto('settings')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      return (await get(name)) ?? value;
    },
  };
}
