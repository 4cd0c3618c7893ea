/** The storage interface of the roles a team defines (issue 28; re-exported by storage.ts). */

export const ROLE_SCOPES = ['global', 'organization'] as const;
export type RoleScope = (typeof ROLE_SCOPES)[number];

export interface TeamRole {
  id: string;
  name: string;
  description: string;
  /** Deduplicated and sorted. */
  permissions: string[];
  scope: RoleScope;
  createdAt: string;
  updatedAt: string;
}

/** A role as a grant: its name and permissions. */
export interface RoleGrant {
  name: string;
  permissions: string[];
}

/**
 * What a user holds, read in one query: their global roles and, for an organization, whether they are a member
 * there and the organization roles they hold in it.
 */
export interface Grants {
  global: RoleGrant[];
  /** Absent when no organization was asked about. */
  organization?: { id: string; member: boolean; roles: RoleGrant[] };
}

export interface RoleStore {
  insert(role: TeamRole): Promise<void>;
  find(id: string): Promise<TeamRole | undefined>;
  findByName(name: string): Promise<TeamRole | undefined>;
  /** By name, after `afterName`; `search` is a case-insensitive substring of the name. */
  page(q: { search?: string; scope?: RoleScope; afterName?: string; limit: number }): Promise<TeamRole[]>;
  update(role: TeamRole): Promise<void>;
  /** False when there was none; its grants (user_roles, organization_member_roles) go with it. */
  delete(id: string): Promise<boolean>;
  /** The roles with these ids or names (any scope). */
  resolve(idsOrNames: readonly string[]): Promise<TeamRole[]>;
  /** The user's global roles, by name. */
  rolesOf(userId: string): Promise<TeamRole[]>;
  /** Replaces the user's global roles. */
  setRolesOf(userId: string, roleIds: readonly string[], at: string): Promise<void>;
  /** The users holding a role globally, or in an organization (whose caches drop when it changes). */
  holders(roleId: string): Promise<string[]>;
  /** One query: the user's global roles, and (with `organizationId`) membership and roles there. */
  grants(userId: string, organizationId?: string): Promise<Grants>;
}
