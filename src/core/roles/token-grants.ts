import type { GrantClaims } from '../auth/access-tokens.js';
import { forbidden } from '../errors.js';
import type { RoleStore } from '../storage.roles.js';
import { effectivePermissions } from './permissions.js';

/** The refusal of tokens for an organization the user does not (or no longer) belong to: 403, nothing changes. */
export const notAMember = () => forbidden('You are not a member of this organization');

/**
 * What a login's or refresh's access token carries: the user's global roles and permissions and, for an
 * organization, their roles and permissions there (permissions.ts), read in one query. Undefined when the user is
 * not a member of `organizationId`: the caller refuses (notAMember).
 */
export async function tokenGrants(
  roles: RoleStore,
  userId: string,
  organizationId: string | null | undefined,
): Promise<GrantClaims | undefined> {
  const p = effectivePermissions(await roles.grants(userId, organizationId ?? undefined));
  if (organizationId && !p.organization) return undefined;
  return {
    roles: p.roles,
    permissions: p.permissions,
    ...(p.organization && {
      org_id: p.organization.id,
      org_roles: p.organization.roles,
      org_permissions: p.organization.permissions,
    }),
  };
}
