import type { Kysely } from 'kysely';
import { uuidv7 } from '../../src/core/ids.js';

/**
 * An organization written straight to its tables (migration 0017): the organizations API is another helper's lane,
 * and single sign-on only reads organizations. Returns its id.
 */
export async function makeOrganization(db: Kysely<any>, name: string, domains: string[]): Promise<string> {
  const id = uuidv7();
  const at = new Date().toISOString();
  await db
    .insertInto('organizations')
    .values({
      id,
      name,
      name_key: name.toLowerCase(),
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(-6)}`,
      domains: JSON.stringify(domains),
      custom_data: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const domain of domains)
    await db.insertInto('organization_domains').values({ domain, organization_id: id }).execute();
  return id;
}

/** Makes a user a member, as the organizations API would (for the enforcement's tests). */
export async function addMember(db: Kysely<any>, organizationId: string, userId: string): Promise<void> {
  await db
    .insertInto('organization_members')
    .values({ organization_id: organizationId, user_id: userId, created_at: new Date().toISOString() })
    .execute();
}
