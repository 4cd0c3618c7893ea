import type { Kysely } from 'kysely';
import type { SessionStore } from '../core/storage.js';
import type { Schema } from '../db/schema.js';

type Management = Pick<
  SessionStore,
  'liveOf' | 'endOldestOf' | 'revokeOf' | 'revoke' | 'revokeAllOf' | 'deleteExpired'
>;

/** Listing and ending sessions (none of it on the path of a request's authentication or a refresh). */
export function sessionManagement(db: Kysely<Schema>): Management {
  return {
    async liveOf(userId, at, page) {
      // Last used: the newest refresh token (a refresh writes one), so listing costs no write per refresh.
      let query = db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'expires_at', 'ip', 'user_agent'])
        .select((eb) =>
          eb
            .selectFrom('refresh_tokens')
            .select((e) => e.fn.max('refresh_tokens.created_at').as('m'))
            .whereRef('refresh_tokens.session_id', '=', 'sessions.id')
            .as('last_used'),
        )
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at);
      const after = page.after;
      if (after)
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', after.createdAt),
            eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
          ]),
        );
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        lastUsedAt: (r.last_used as string | null) ?? r.created_at,
        expiresAt: r.expires_at,
        ip: r.ip,
        userAgent: r.user_agent,
      }));
    },
    async endOldestOf(userId, keepId, keep, at, reason) {
      // One statement: the live sessions but `keepId`, newest first, past the first `keep` of them.
      const oldest = db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '!=', keepId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Number.MAX_SAFE_INTEGER)
        .offset(keep);
      const rows = await db
        .updateTable('sessions')
        .set({ revoked_at: at, revoked_reason: reason })
        .where('id', 'in', oldest)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
    async revokeOf(userId, sessionId, at, reason) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: at, revoked_reason: reason })
        .where('id', '=', sessionId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async revoke(sessionId, at, reason) {
      const row = await db
        .updateTable('sessions')
        .set((eb) => ({
          revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)),
          revoked_reason: eb.fn.coalesce('revoked_reason', eb.val(reason)),
        }))
        .where('id', '=', sessionId)
        .returning('user_id')
        .executeTakeFirst();
      return row?.user_id;
    },
    async revokeAllOf(userId, at, reason, exceptSessionId) {
      let query = db
        .updateTable('sessions')
        .set({ revoked_at: at, revoked_reason: reason })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
      await query.execute();
    },
    async deleteExpired(before) {
      await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
      await db.deleteFrom('sessions').where('expires_at', '<', before).execute();
    },
  };
}
