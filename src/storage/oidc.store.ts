import type { ExpressionBuilder } from 'kysely';
import type { OidcConsent, OidcFound, OidcStore } from '../core/storage.js';
import type { Schema } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

const live = (now: string) => (eb: ExpressionBuilder<Schema, 'oidc_payloads'>) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);
const found = (row: { payload: string; consumed_at: unknown } | undefined): OidcFound | undefined =>
  row && { payload: row.payload, consumedAt: row.consumed_at == null ? null : String(row.consumed_at) };
const consentOf = (row: { client_id: string; scopes: string; created_at: unknown; updated_at: unknown }) =>
  ({
    clientId: row.client_id,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: new Date(row.created_at as string).toISOString(),
    updatedAt: new Date(row.updated_at as string).toISOString(),
  }) satisfies OidcConsent;

/** The OpenID provider's tables (migration 0012): its artifacts, session links, consents and grace answers. */
export function oidcStore({ db }: StoreContext): OidcStore {
  const select = () => db.selectFrom('oidc_payloads').select(['payload', 'consumed_at']);
  return {
    async upsert(kind, id, a) {
      const row = {
        payload: a.payload,
        grant_id: a.grantId,
        user_code: a.userCode,
        uid: a.uid,
        account_id: a.accountId,
        client_id: a.clientId,
        expires_at: a.expiresAt,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ kind, id, ...row, consumed_at: null })
        .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet(row))
        .execute();
    },
    async find(kind, id, now) {
      return found(await select().where('kind', '=', kind).where('id', '=', id).where(live(now)).executeTakeFirst());
    },
    async findByUserCode(kind, userCode, now) {
      return found(
        await select().where('kind', '=', kind).where('user_code', '=', userCode).where(live(now)).executeTakeFirst(),
      );
    },
    async findByUid(kind, uid, now) {
      return found(await select().where('kind', '=', kind).where('uid', '=', uid).where(live(now)).executeTakeFirst());
    },
    async consume(kind, id, at) {
      await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: at })
        .where('kind', '=', kind)
        .where('id', '=', id)
        .execute();
    },
    async destroy(kind, id) {
      await db.deleteFrom('oidc_payloads').where('kind', '=', kind).where('id', '=', id).execute();
    },
    async revokeByGrantId(grantId) {
      await db
        .deleteFrom('oidc_payloads')
        .where((eb) =>
          eb.or([eb('grant_id', '=', grantId), eb.and([eb('kind', '=', 'Grant'), eb('id', '=', grantId)])]),
        )
        .execute();
    },
    async grantIdsOf(userId, clientId) {
      const rows = await db
        .selectFrom('oidc_payloads')
        .select('id')
        .where('kind', '=', 'Grant')
        .where('account_id', '=', userId)
        .where('client_id', '=', clientId)
        .execute();
      return rows.map((r) => r.id);
    },
    async link(uid, sessionId, userId, at) {
      const before = await db
        .selectFrom('oidc_session_links')
        .select('session_id')
        .where('uid', '=', uid)
        .executeTakeFirst();
      await db
        .insertInto('oidc_session_links')
        .values({ uid, session_id: sessionId, user_id: userId, created_at: at })
        .onConflict((oc) => oc.column('uid').doUpdateSet({ session_id: sessionId, user_id: userId, created_at: at }))
        .execute();
      return before && before.session_id !== sessionId ? before.session_id : undefined;
    },
    async linkOf(uid) {
      const row = await db
        .selectFrom('oidc_session_links')
        .select(['session_id', 'user_id'])
        .where('uid', '=', uid)
        .executeTakeFirst();
      return row && { sessionId: row.session_id, userId: row.user_id };
    },
    async consents(userId) {
      const rows = await db
        .selectFrom('oidc_consents')
        .select(['client_id', 'scopes', 'created_at', 'updated_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map(consentOf);
    },
    async consent(userId, clientId) {
      const row = await db
        .selectFrom('oidc_consents')
        .select(['client_id', 'scopes', 'created_at', 'updated_at'])
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && consentOf(row);
    },
    async putConsent(userId, clientId, scopes, at) {
      const list = JSON.stringify([...new Set(scopes)].sort());
      await db
        .insertInto('oidc_consents')
        .values({ user_id: userId, client_id: clientId, scopes: list, created_at: at, updated_at: at })
        .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scopes: list, updated_at: at }))
        .execute();
    },
    async deleteConsent(userId, clientId) {
      const result = await db
        .deleteFrom('oidc_consents')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async putRefreshAnswer(tokenHash, sealed, expiresAt) {
      await db
        .insertInto('oidc_refresh_answers')
        .values({ token_hash: tokenHash, sealed, expires_at: expiresAt })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    },
    async refreshAnswer(tokenHash, now) {
      const row = await db
        .selectFrom('oidc_refresh_answers')
        .select('sealed')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.sealed;
    },
    async sweep(now) {
      const a = await db.deleteFrom('oidc_payloads').where('expires_at', '<', now).executeTakeFirst();
      const b = await db.deleteFrom('oidc_refresh_answers').where('expires_at', '<', now).executeTakeFirst();
      return Number(a.numDeletedRows) + Number(b.numDeletedRows);
    },
  };
}
