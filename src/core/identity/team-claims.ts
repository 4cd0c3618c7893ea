import { effectivePermissions } from '../roles/permissions.js';
import type { MembershipStore, RoleStore } from '../storage.js';

/**
 * The OpenID claims of the team's roles and organizations (issue 28), read only for the scopes that release them:
 * `roles` → `roles` (the user's global role names) and `permissions` (theirs, permissions.ts); `organizations` →
 * `organizations` (the ids of the organizations the user belongs to). One query per scope asked.
 */
export async function teamClaims(
  stores: { roles: RoleStore; memberships: MembershipStore },
  userId: string,
  scope: string,
): Promise<Record<string, unknown>> {
  const scopes = new Set(scope.split(' '));
  const out: Record<string, unknown> = {};
  if (scopes.has('roles')) {
    const p = effectivePermissions(await stores.roles.grants(userId));
    out.roles = p.roles;
    out.permissions = p.permissions;
  }
  if (scopes.has('organizations')) out.organizations = await stores.memberships.organizationIdsOf(userId);
  return out;
}
