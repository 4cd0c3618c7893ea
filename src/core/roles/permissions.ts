import type { Grants, RoleGrant } from '../storage.roles.js';

/**
 * The one rule of effective permissions (issue 28): a user's permissions are the union of their global roles'
 * permissions; in an organization they are a member of, their organization roles there add theirs. Team roles
 * never grant anything on Usher's own API. The /permissions endpoint, access tokens and OIDC claims all use this.
 */
export interface EffectivePermissions {
  /** Global role names, sorted. */
  roles: string[];
  /** The global roles' permissions, deduplicated and sorted. */
  permissions: string[];
  /** Present when an organization was asked about and the user is a member there. */
  organization?: { id: string; roles: string[]; permissions: string[] };
}

const union = (roles: readonly RoleGrant[]): string[] => [...new Set(roles.flatMap((r) => r.permissions))].sort();
const names = (roles: readonly RoleGrant[]): string[] => roles.map((r) => r.name).sort();

export function effectivePermissions(grants: Grants): EffectivePermissions {
  const org = grants.organization;
  return {
    roles: names(grants.global),
    permissions: union(grants.global),
    ...(org?.member && { organization: { id: org.id, roles: names(org.roles), permissions: union(org.roles) } }),
  };
}

/** Everything the user may do there: global and organization permissions together (the endpoint's answer). */
export const allPermissions = (p: EffectivePermissions): string[] =>
  [...new Set([...p.permissions, ...(p.organization?.permissions ?? [])])].sort();
