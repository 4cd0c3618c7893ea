import { uuidv7 } from '../../src/core/ids.js';
import type { TestApp } from '../support/helper.js';

/**
 * Roles for the tests, written straight into the roles table (the roles API is another part of issue 28): the
 * organizations API only reads them.
 */
export async function addRole(api: TestApp, name: string, scope: 'organization' | 'global' = 'organization') {
  const id = uuidv7();
  const at = new Date().toISOString();
  await api.database.db
    .insertInto('roles')
    .values({ id, name, description: '', permissions: '[]', scope, created_at: at, updated_at: at })
    .execute();
  return id;
}
