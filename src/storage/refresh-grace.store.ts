import type { SessionStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

type GraceKeys = Pick<SessionStore, 'graceKey' | 'findGraceKey' | 'dropGraceKeys'>;

/** The refresh reuse grace window's epoch secrets (one row per epoch, shared by every instance). */
export function graceKeyStore({ db }: StoreContext): GraceKeys {
  const find = async (epoch: number) =>
    (await db.selectFrom('refresh_grace_keys').select('secret').where('epoch', '=', epoch).executeTakeFirst())?.secret;
  return {
    async graceKey(epoch, candidate, at) {
      // Instances racing for a new epoch: the first insert wins and every one of them reads it.
      await db
        .insertInto('refresh_grace_keys')
        .values({ epoch, secret: candidate, created_at: at })
        .onConflict((oc) => oc.column('epoch').doNothing())
        .execute();
      return (await find(epoch)) ?? candidate;
    },
    findGraceKey: find,
    async dropGraceKeys(before) {
      await db.deleteFrom('refresh_grace_keys').where('created_at', '<', before).execute();
    },
  };
}
