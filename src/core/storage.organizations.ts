import type {
  Invitation,
  InvitationStatus,
  InvitationWithHash,
  Member,
  Organization,
  OwnOrganization,
} from './organizations/organization.types.js';

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
  /** The live members holding the organization role there, in id order (at most `limit`). */
  roleHolders(organizationId: string, roleId: string, limit: number): Promise<string[]>;
  /** Takes the role from every member of the organization; answers whose it was. */
  removeRoleFromAll(organizationId: string, roleId: string): Promise<string[]>;
  /** The organizations the user belongs to, by id. */
  organizationIdsOf(userId: string): Promise<string[]>;
}

/** Where a members page starts: after the member who joined at `joinedAt` with this user id (newest first). */
export interface MemberKeyset {
  joinedAt: string;
  userId: string;
}

/**
 * The organizations table and its domains (migration 0017), with the reads over members that join users and roles
 * (a members page, the caller's organizations). Slug and domain collisions come back as DUPLICATE_RESOURCE naming them.
 */
export interface OrganizationStore {
  /** Writes the organization and its domains. */
  insert(organization: Organization): Promise<void>;
  /** Writes every field but id and creation time, and the domains; false when there is no such organization. */
  update(organization: Organization): Promise<boolean>;
  /** Deletes it, its domains, members and invitations; false when there was none. */
  delete(id: string): Promise<boolean>;
  find(id: string): Promise<Organization | undefined>;
  findBySlug(slug: string): Promise<Organization | undefined>;
  slugExists(slug: string): Promise<boolean>;
  /** Newest first (ids are UUIDv7); `search` a case-insensitive substring of the name or slug. */
  page(query: { search?: string; beforeId?: string; limit: number }): Promise<Organization[]>;
  /** Newest member first; `search` a substring of the username, email or name (lower case). */
  memberPage(query: {
    organizationId: string;
    search?: string;
    after?: MemberKeyset;
    limit: number;
  }): Promise<Member[]>;
  /** One member with their roles, or undefined. */
  member(organizationId: string, userId: string): Promise<Member | undefined>;
  /** Every member's user id (an organization's deletion tells the bus about each). */
  memberIds(organizationId: string): Promise<string[]>;
  /** The user's organizations with their roles there, by name. */
  ofUser(userId: string): Promise<OwnOrganization[]>;
}

export interface InvitationStore {
  insert(invitation: InvitationWithHash): Promise<void>;
  find(organizationId: string, id: string): Promise<Invitation | undefined>;
  /** Newest first; `status` judged at `now`. */
  page(query: {
    organizationId: string;
    status?: InvitationStatus;
    beforeId?: string;
    limit: number;
    now: string;
  }): Promise<Invitation[]>;
  /** The pending invitations to this address (its lower-case key), with their codes' hashes. */
  pendingFor(emailKey: string, now: string): Promise<InvitationWithHash[]>;
  /** Marks it accepted if still pending at `at`; false when it no longer was (a race, a revocation). */
  accept(id: string, userId: string, at: string): Promise<boolean>;
  /** Marks it revoked if still pending or expired; false when it was accepted or revoked already. */
  revoke(id: string, at: string): Promise<boolean>;
}
