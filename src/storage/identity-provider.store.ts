import type { IdentityProvider, IdentityProviderStore, ProviderType } from '../core/storage.js';
import type { IdentityProvidersTable } from '../db/schema.sign-in.js';
import type { StoreContext } from './store-context.js';

/** Row ⇄ record: the scopes are a JSON array; booleans are the dialect's (1/0 on SQLite). */
export const providerOf = (r: IdentityProvidersTable): IdentityProvider => ({
  id: r.id,
  type: r.type as ProviderType,
  issuer: r.issuer,
  clientId: r.client_id,
  hasSecret: r.client_secret !== null,
  scopes: JSON.parse(r.scopes) as string[],
  displayName: r.display_name,
  enabled: Boolean(r.enabled),
  autoCreate: Boolean(r.auto_create),
  authorizationUrl: r.authorization_url,
  tokenUrl: r.token_url,
  apiUrl: r.api_url,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  organizationId: r.organization_id,
  enforced: Boolean(r.enforced),
});

const columns = (p: IdentityProvider) => ({
  type: p.type,
  issuer: p.issuer,
  client_id: p.clientId,
  scopes: JSON.stringify(p.scopes),
  display_name: p.displayName,
  enabled: p.enabled ? 1 : 0,
  auto_create: p.autoCreate ? 1 : 0,
  authorization_url: p.authorizationUrl,
  token_url: p.tokenUrl,
  api_url: p.apiUrl,
  updated_at: p.updatedAt,
  organization_id: p.organizationId,
  enforced: p.enforced ? 1 : 0,
});

/** The identity_providers table: upstream OpenID and GitHub providers, their client secrets as the core sealed them. */
export function identityProviderStore({ db }: StoreContext): IdentityProviderStore {
  return {
    async insert(p, secret) {
      await db
        .insertInto('identity_providers')
        .values({ id: p.id, ...columns(p), client_secret: secret, created_at: p.createdAt })
        .execute();
    },
    async find(id) {
      const row = await db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { provider: providerOf(row), secret: row.client_secret };
    },
    async list() {
      const rows = await db
        .selectFrom('identity_providers')
        .selectAll()
        .where('organization_id', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(providerOf);
    },
    async update(p, secret) {
      await db
        .updateTable('identity_providers')
        .set({ ...columns(p), ...(secret !== undefined && { client_secret: secret }) })
        .where('id', '=', p.id)
        .execute();
    },
    async secrets() {
      const rows = await db
        .selectFrom('identity_providers')
        .select(['id', 'client_secret'])
        .where('client_secret', 'is not', null)
        .execute();
      return rows.map((r) => ({ id: r.id, secret: r.client_secret! }));
    },
    async reseal(id, was, now) {
      await db
        .updateTable('identity_providers')
        .set({ client_secret: now })
        .where('id', '=', id)
        .where('client_secret', '=', was)
        .execute();
    },
    async delete(id) {
      const result = await db.deleteFrom('identity_providers').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
