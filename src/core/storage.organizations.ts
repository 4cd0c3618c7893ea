/**
 * Organization memberships (issue 28): who belongs to which organization, and
 * with which organization roles. Shared by the organizations service, SCIM and
 * per-organization sign-in, which all make members; the rules (who may add,
 * what is audited, which caches drop) are their callers'.
 */
export interface MembershipStore {
  /** Makes the user a member (with these role ids, added to any they hold); true when they were not one before. */
  add(organizationId: string, userId: string, roleIds: readonly string[], now: string): Promise<boolean>;
  /** Ends the membership and its roles; true when there was one. */
  remove(organizationId: string, userId: string): Promise<boolean>;
  isMember(organizationId: string, userId: string): Promise<boolean>;
  /** The member's role ids there (empty when not a member). */
  roleIds(organizationId: string, userId: string): Promise<string[]>;
  /** Replaces the member's roles there; false when not a member. */
  setRoles(organizationId: string, userId: string, roleIds: readonly string[]): Promise<boolean>;
  /** Gives one role to a member (no-op when held); false when not a member. */
  addRole(organizationId: string, userId: string, roleId: string): Promise<boolean>;
  /** Takes one role from a member; true when they held it. */
  removeRole(organizationId: string, userId: string, roleId: string): Promise<boolean>;
  /** The organizations the user belongs to, by id. */
  organizationIdsOf(userId: string): Promise<string[]>;
}
