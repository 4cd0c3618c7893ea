import { uuidv7 } from '../../src/core/ids.js';
import type { Database } from '../../src/db/database.js';
import { createStorage } from '../../src/storage/storage.js';
import type { TestApp } from '../support/helper.js';

/**
 * Organizations for the roles tests. The organizations API is another part of issue 28: the organization row is
 * inserted, memberships go through storage.memberships (the API's own store), and their changes are published on
 * the app's bus as the organizations service does (`{kind: 'user', id}` after the commit).
 */
export async function organization(
  api: TestApp,
  name = `org${Math.random().toString(36).slice(2, 8)}`,
): Promise<string> {
  const id = uuidv7();
  const at = new Date().toISOString();
  await api.database.db
    .insertInto('organizations')
    .values({
      id,
      name,
      name_key: name.toLowerCase(),
      slug: name.toLowerCase(),
      domains: '[]',
      custom_data: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

export function members(api: TestApp, database: Database = api.database) {
  const storage = createStorage(database);
  const changed = (userId: string) => api.app.core.bus.publish({ kind: 'user', id: userId });
  return {
    async add(organizationId: string, userId: string, roleIds: string[] = []) {
      await storage.memberships.add(organizationId, userId, roleIds, new Date().toISOString());
      changed(userId);
    },
    async remove(organizationId: string, userId: string) {
      await storage.memberships.remove(organizationId, userId);
      changed(userId);
    },
    async setRoles(organizationId: string, userId: string, roleIds: string[]) {
      await storage.memberships.setRoles(organizationId, userId, roleIds);
      changed(userId);
    },
  };
}
