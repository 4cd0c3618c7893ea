import type { ChallengeStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** The auth_challenges table: a challenge is spent by deleting it, so two instances can never both take one. */
export function challengeStore({ db }: StoreContext): ChallengeStore {
  return {
    async put(row) {
      await db
        .insertInto('auth_challenges')
        .values({ id: row.id, purpose: row.purpose, user_id: row.userId, data: row.data, expires_at: row.expiresAt })
        .execute();
    },
    async take(id, purpose, at) {
      const row = await db
        .deleteFrom('auth_challenges')
        .where('id', '=', id)
        .where('purpose', '=', purpose)
        .returning(['user_id', 'data', 'expires_at'])
        .executeTakeFirst();
      return row && row.expires_at > at ? { userId: row.user_id, data: row.data } : undefined;
    },
    async sweep(at) {
      const result = await db.deleteFrom('auth_challenges').where('expires_at', '<', at).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
