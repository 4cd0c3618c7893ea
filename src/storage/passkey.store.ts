import type { PasskeyStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** The passkeys table: users' WebAuthn credentials. */
export function passkeyStore({ db }: StoreContext): PasskeyStore {
  return {
    async countOf(userId) {
      const row = await db
        .selectFrom('passkeys')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
