import { type SqlBool, sql } from 'kysely';
import type { Application, ApplicationType, ApplicationWithSecret } from '../core/applications/application.types.js';
import type { ApplicationStore } from '../core/storage.js';
import type { ApplicationsTable } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

/** The applications table: the provider's clients, their lists as JSON text, their secret as a hash. */

const COLUMNS = [
  'id',
  'name',
  'type',
  'client_id',
  'redirect_uris',
  'post_logout_redirect_uris',
  'scopes',
  'first_party',
  'logo_uri',
  'created_at',
  'updated_at',
] as const;

const list = (text: string): string[] => JSON.parse(text) as string[];

const toApplication = (r: Omit<ApplicationsTable, 'secret_hash'>): Application => ({
  id: r.id,
  name: r.name,
  type: r.type as ApplicationType,
  clientId: r.client_id,
  redirectUris: list(r.redirect_uris),
  postLogoutRedirectUris: list(r.post_logout_redirect_uris),
  scopes: list(r.scopes),
  firstParty: Boolean(r.first_party),
  logoUri: r.logo_uri,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What an update writes: every field an application's owner may change. */
const changeable = (a: Application) => ({
  name: a.name,
  redirect_uris: JSON.stringify(a.redirectUris),
  post_logout_redirect_uris: JSON.stringify(a.postLogoutRedirectUris),
  scopes: JSON.stringify(a.scopes),
  first_party: a.firstParty ? 1 : 0,
  logo_uri: a.logoUri,
  updated_at: a.updatedAt,
});

/** Lower case, LIKE wildcards escaped: a search for "50%_off" means exactly that text. */
const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function applicationStore({ db }: StoreContext): ApplicationStore {
  return {
    async insert(a, secretHash) {
      await db
        .insertInto('applications')
        .values({
          id: a.id,
          type: a.type,
          client_id: a.clientId,
          secret_hash: secretHash,
          created_at: a.createdAt,
          ...changeable(a),
        })
        .execute();
    },
    async update(a) {
      const result = await db.updateTable('applications').set(changeable(a)).where('id', '=', a.id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(id) {
      const result = await db.deleteFrom('applications').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async setSecretHash(id, secretHash, at) {
      const result = await db
        .updateTable('applications')
        .set({ secret_hash: secretHash, updated_at: at })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async find(id) {
      const row = await db.selectFrom('applications').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toApplication(row);
    },
    async findByClientId(clientId) {
      const row = await db
        .selectFrom('applications')
        .select([...COLUMNS, 'secret_hash'])
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && ({ ...toApplication(row), secretHash: row.secret_hash } satisfies ApplicationWithSecret);
    },
    async page({ search, beforeId, limit }) {
      let query = db.selectFrom('applications').select(COLUMNS);
      if (search) query = query.where(sql<SqlBool>`lower(name) like ${likePattern(search)} escape '\\'`);
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      return (await query.orderBy('id', 'desc').limit(limit).execute()).map(toApplication);
    },
  };
}
