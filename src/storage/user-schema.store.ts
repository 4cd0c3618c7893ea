import type { UserSchemaStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

const SCHEMA = 'user_schema';
const VERSION = 'user_schema_version';

/**
 * The user schema in the settings table: the schema's text under `user_schema`
 * and `{version, updated_at}` under `user_schema_version`, so that the check
 * before a write reads only the small row.
 */
export function userSchemaStore({ db }: StoreContext): UserSchemaStore {
  const get = async (name: string) =>
    (await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
  const put = (name: string, value: string) =>
    db
      .insertInto('settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  const versionOf = (text: string | undefined) =>
    text === undefined ? undefined : (JSON.parse(text) as { version: string; updated_at: string });
  return {
    version: async () => versionOf(await get(VERSION))?.version,
    async read() {
      const v = versionOf(await get(VERSION));
      const schema = v && (await get(SCHEMA));
      return v && schema !== undefined ? { version: v.version, schema, updatedAt: v.updated_at } : undefined;
    },
    async write(value) {
      if (value === null) {
        await db.deleteFrom('settings').where('name', 'in', [SCHEMA, VERSION]).execute();
        return;
      }
      await put(SCHEMA, value.schema);
      await put(VERSION, JSON.stringify({ version: value.version, updated_at: value.updatedAt }));
    },
  };
}
