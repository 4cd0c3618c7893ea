import type { OrganizationSsoStore } from '../core/storage.js';
import { providerOf } from './identity-provider.store.js';
import type { StoreContext } from './store-context.js';

/**
 * The reads of single sign-on per organization: identity_providers rows with
 * organization_id set (migration 0019), routed by organization_domains, and a
 * small read of organizations (name, domains) to fold into the organizations'
 * store when it lands.
 */
export function organizationSsoStore({ db, dialect }: StoreContext): OrganizationSsoStore {
  const yes = dialect === 'postgres' ? true : 1;
  return {
    async providerOf(organizationId) {
      const row = await db
        .selectFrom('identity_providers')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .executeTakeFirst();
      return row && { provider: providerOf(row), secret: row.client_secret };
    },
    async forDomain(domain) {
      const row = await db
        .selectFrom('organization_domains as d')
        .innerJoin('identity_providers as p', 'p.organization_id', 'd.organization_id')
        .selectAll('p')
        .where('d.domain', '=', domain)
        .executeTakeFirst();
      return row?.enabled ? providerOf(row) : undefined;
    },
    async countEnabled() {
      const row = await db
        .selectFrom('identity_providers')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('organization_id', 'is not', null)
        .where('enabled', '=', yes)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async enforcedFor(userId, emailDomain) {
      const member = await db
        .selectFrom('organization_members as m')
        .innerJoin('identity_providers as p', 'p.organization_id', 'm.organization_id')
        .select(['p.enabled', 'p.enforced'])
        .where('m.user_id', '=', userId)
        .execute();
      if (member.some((r) => Boolean(r.enabled) && Boolean(r.enforced))) return true;
      if (emailDomain === null) return false;
      const byDomain = await db
        .selectFrom('organization_domains as d')
        .innerJoin('identity_providers as p', 'p.organization_id', 'd.organization_id')
        .select(['p.enabled', 'p.enforced'])
        .where('d.domain', '=', emailDomain)
        .executeTakeFirst();
      return Boolean(byDomain?.enabled) && Boolean(byDomain?.enforced);
    },
  };
}
