import type { CodeStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** One-time codes (email verification, password reset), stored as hashes. */
export function codeStore({ db }: StoreContext): CodeStore {
  return {
    async issue(code, at) {
      await db
        .updateTable('one_time_codes')
        .set({ used_at: at })
        .where('user_id', '=', code.userId)
        .where('purpose', '=', code.purpose)
        .where('used_at', 'is', null)
        .execute();
      await db
        .insertInto('one_time_codes')
        .values({
          id: code.id,
          user_id: code.userId,
          purpose: code.purpose,
          email: code.email,
          code_hash: code.codeHash,
          attempts: 0,
          created_at: at,
          expires_at: code.expiresAt,
          used_at: null,
        })
        .execute();
    },
    async live(userId, purpose, at) {
      const row = await db
        .selectFrom('one_time_codes')
        .select(['id', 'user_id', 'email', 'code_hash', 'attempts', 'expires_at'])
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          userId: row.user_id,
          email: row.email,
          codeHash: row.code_hash,
          attempts: Number(row.attempts),
          expiresAt: row.expires_at,
        }
      );
    },
    async countTry(id, max) {
      const row = await db
        .updateTable('one_time_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('attempts', '<', max)
        .returning('attempts')
        .executeTakeFirst();
      return row && Number(row.attempts);
    },
    async uncountTry(id) {
      await db
        .updateTable('one_time_codes')
        .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
        .where('id', '=', id)
        .where('attempts', '>', 0)
        .execute();
    },
    async use(id, at) {
      const result = await db
        .updateTable('one_time_codes')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
