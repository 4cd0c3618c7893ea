import type { GrantClaims } from '../auth/access-tokens.js';
import { forbidden } from '../errors.js';
import type { SessionState, SessionStore } from '../storage.js';
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

/**
 * A refresh's grants (AuthService.refresh): for `requested` (a string switches the session to that organization,
 * null to none), else for the session's own. A user who is not (or no longer) a member there is refused
 * (notAMember); a switch is stored, and `switched` drops what instances remember of the session.
 */
export async function refreshGrants(
  storage: { roles: RoleStore; sessions: Pick<SessionStore, 'setOrganization'> },
  state: SessionState,
  requested: string | null | undefined,
  switched: () => void,
): Promise<GrantClaims> {
  const org = requested === undefined ? state.organizationId : requested;
  const grants = await tokenGrants(storage.roles, state.userId, org);
  if (!grants) throw notAMember();
  if (org !== state.organizationId) {
    await storage.sessions.setOrganization(state.sessionId, org);
    switched();
  }
  return grants;
}
