import type { IdentityStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** The user_identities table: users' accounts at upstream identity providers. */
export function identityStore({ db }: StoreContext): IdentityStore {
  return {
    async countOf(userId) {
      const row = await db
        .selectFrom('user_identities')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
