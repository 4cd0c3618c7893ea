import type { MfaStore } from '../core/storage.js';
import type { SignInMethod } from '../core/types.js';
import type { StoreContext } from './store-context.js';

/**
 * The second factor: the users' TOTP columns, recovery codes (hashed) and login challenges (hashed tokens). Writes to a
 * user's row report it to `changed`.
 */
export function mfaStore({ db, changed }: StoreContext): MfaStore {
  return {
    async secrets(userId) {
      const row = await db
        .selectFrom('users')
        .select(['mfa_secret', 'mfa_pending_secret', 'mfa_last_step'])
        .where('id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return (
        row && {
          secret: row.mfa_secret,
          pending: row.mfa_pending_secret,
          lastStep: row.mfa_last_step === null ? null : Number(row.mfa_last_step),
        }
      );
    },
    async setPending(userId, secret) {
      await db.updateTable('users').set({ mfa_pending_secret: secret }).where('id', '=', userId).execute();
      changed(userId);
    },
    async enable(userId, secret, recoveryHashes) {
      await db
        .updateTable('users')
        .set({ mfa_secret: secret, mfa_pending_secret: null, mfa_last_step: null })
        .where('id', '=', userId)
        .execute();
      changed(userId);
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await db
        .insertInto('recovery_codes')
        .values(recoveryHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
        .execute();
    },
    async disable(userId) {
      await db
        .updateTable('users')
        .set({ mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null })
        .where('id', '=', userId)
        .execute();
      changed(userId);
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
    },
    async useStep(userId, step) {
      const result = await db
        .updateTable('users')
        .set({ mfa_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async useRecoveryCode(userId, hash, at) {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: at })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async createChallenge(c) {
      await db
        .insertInto('mfa_challenges')
        .values({
          token_hash: c.tokenHash,
          user_id: c.userId,
          attempts: 0,
          ip: c.ip,
          user_agent: c.userAgent,
          created_at: c.at,
          expires_at: c.expiresAt,
          used_at: null,
          method: c.method ?? null,
          provider_id: c.providerId ?? null,
          organization_id: c.organizationId ?? null,
        })
        .execute();
    },
    async challenge(tokenHash, at) {
      const row = await db
        .selectFrom('mfa_challenges')
        .select(['user_id', 'attempts', 'method', 'provider_id', 'organization_id'])
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return (
        row && {
          userId: row.user_id,
          attempts: Number(row.attempts),
          ...(row.method && { method: row.method as SignInMethod }),
          ...(row.provider_id && { providerId: row.provider_id }),
          ...(row.organization_id && { organizationId: row.organization_id }),
        }
      );
    },
    async claimAttempt(tokenHash, at, max) {
      // One statement: on PostgreSQL a parallel update waits for the row and checks the condition again, so no more
      // than `max` pass.
      const result = await db
        .updateTable('mfa_challenges')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .where('attempts', '<', max)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async useChallenge(tokenHash, at) {
      const result = await db
        .updateTable('mfa_challenges')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async secretsPage(after, limit) {
      return db
        .selectFrom('users')
        .select(['id', 'mfa_secret as secret', 'mfa_pending_secret as pending'])
        .where('id', '>', after)
        .where((eb) => eb.or([eb('mfa_secret', 'is not', null), eb('mfa_pending_secret', 'is not', null)]))
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    async reseal(userId, was, now) {
      await db
        .updateTable('users')
        .set({ mfa_secret: now.secret, mfa_pending_secret: now.pending })
        .where('id', '=', userId)
        .where((eb) =>
          eb.and([
            was.secret === null ? eb('mfa_secret', 'is', null) : eb('mfa_secret', '=', was.secret),
            was.pending === null ? eb('mfa_pending_secret', 'is', null) : eb('mfa_pending_secret', '=', was.pending),
          ]),
        )
        .execute();
      changed(userId);
    },
  };
}
