import type { UserStore } from '../../core/storage.js';
import type { StoreContext } from '../store-context.js';
import { PUBLIC_SELECTION, toUser } from './user-rows.js';
import { customDataOf } from '../../core/custom-data/custom-data.rules.js';

type Attributes = Pick<UserStore, 'byExternalId' | 'externalIdsTaken' | 'customDataPage' | 'withoutCustomData'>;

/** The users' own attributes (issue 28): lookups by external id, and custom_data walked for a schema change. */
export function userAttributes({ db }: StoreContext): Attributes {
  return {
    async byExternalId(externalId, deleted) {
      const row = await db
        .selectFrom('users')
        .select(PUBLIC_SELECTION)
        .where('external_id', '=', externalId)
        .where('deleted_at', deleted ? 'is not' : 'is', null)
        .executeTakeFirst();
      return row && toUser(row);
    },

    async externalIdsTaken(externalIds) {
      const taken = new Map<string, string>();
      for (let i = 0; i < externalIds.length; i += 500) {
        const rows = await db
          .selectFrom('users')
          .select(['id', 'external_id'])
          .where('external_id', 'in', externalIds.slice(i, i + 500))
          .execute();
        for (const row of rows) if (row.external_id !== null) taken.set(row.external_id, row.id);
      }
      return taken;
    },

    async customDataPage(afterId, limit) {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'custom_data'])
        .where('deleted_at', 'is', null)
        .where('custom_data', 'is not', null)
        .$if(afterId !== null, (s) => s.where('id', '>', afterId!))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, customData: customDataOf(r.custom_data) }));
    },

    async withoutCustomData(limit) {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('deleted_at', 'is', null)
        .where('custom_data', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
