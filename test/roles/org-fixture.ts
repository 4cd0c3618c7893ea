import type { Database } from '../../src/db/database.js';
import { createStorage } from '../../src/storage/storage.js';
import type { TestApp } from '../support/helper.js';
import { createOrganization } from '../support/organizations.js';

/**
 * Organizations for the roles tests, made through /api/v1 (test/support/organizations.ts); memberships go through
 * storage.memberships (the API's own store), and their changes are published on the app's bus as the organizations
 * service does (`{kind: 'user', id}` after the commit).
 */
export const organization = (api: TestApp, name?: string): Promise<string> =>
  createOrganization(api, name === undefined ? {} : { name });

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
