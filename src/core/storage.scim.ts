import type { GroupColumn, Query, UserColumn } from './scim/query.js';
import type { User } from './types.js';

/** The storage interface of SCIM provisioning (migration 0018; re-exported by storage.ts). */

/** A SCIM bearer token as listed: never its secret, which only its hash stands for. */
export interface ScimToken {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A user an organization's directory provisioned: the userName it sent and the attributes Usher has no column for. */
export interface ScimUserLink {
  organizationId: string;
  userId: string;
  userName: string;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** One organization's directory group: the organization role `roleId` under the group's own id. */
export interface ScimGroup {
  id: string;
  organizationId: string;
  roleId: string;
  displayName: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member SCIM may see: a live user of role `user` who belongs to the organization, and its link if provisioned. */
export interface ScimMember {
  user: User;
  link: ScimUserLink | undefined;
}

export interface ScimStore {
  insertToken(token: ScimToken, tokenHash: string): Promise<void>;
  tokens(organizationId: string): Promise<ScimToken[]>;
  token(organizationId: string, id: string): Promise<ScimToken | undefined>;
  tokenByHash(tokenHash: string): Promise<ScimToken | undefined>;
  revokeToken(id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;

  /** The member, if SCIM may see it (live, role `user`, a member of the organization). */
  member(organizationId: string, userId: string): Promise<ScimMember | undefined>;
  /** One page of the members SCIM may see that match `query`, in id order, and how many match. */
  members(
    organizationId: string,
    query: Query<UserColumn> | undefined,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: ScimMember[] }>;
  link(organizationId: string, userId: string): Promise<ScimUserLink | undefined>;
  /** A unique userName per organization: DUPLICATE_RESOURCE (field userName) when taken. */
  insertLink(link: ScimUserLink): Promise<void>;
  updateLink(
    organizationId: string,
    userId: string,
    changes: { userName: string; attributes: Record<string, unknown>; updatedAt: string },
  ): Promise<void>;
  /** Frees a userName held by a deleted user's provisioning row (that user can no longer be restored by it). */
  releaseUserName(organizationId: string, userName: string): Promise<void>;
  /** Which user of the organization (linked, or a member by username) answers to this userName, if any. */
  userNameHolder(organizationId: string, userName: string): Promise<string | undefined>;
  /** The user (live or soft-deleted) with this external id. */
  byExternalId(externalId: string): Promise<{ id: string; deleted: boolean } | undefined>;
  /** Whether a live user has this username (any case). */
  usernameTaken(username: string): Promise<boolean>;

  /** A role by its exact name, any scope. */
  roleByName(name: string): Promise<{ id: string; scope: string } | undefined>;
  insertRole(role: { id: string; name: string; scope: 'organization'; at: string }): Promise<void>;
  group(organizationId: string, id: string): Promise<ScimGroup | undefined>;
  groupByRole(organizationId: string, roleId: string): Promise<ScimGroup | undefined>;
  groups(
    organizationId: string,
    query: Query<GroupColumn> | undefined,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: ScimGroup[] }>;
  insertGroup(group: ScimGroup): Promise<void>;
  updateGroup(
    id: string,
    changes: { displayName?: string; externalId?: string | null; updatedAt: string },
  ): Promise<void>;
  setGroupRole(id: string, roleId: string): Promise<void>;
  deleteGroup(id: string): Promise<void>;
  /** The ids of the organization's live members holding the role (at most `limit`). */
  roleHolders(organizationId: string, roleId: string, limit: number): Promise<Array<{ id: string; userName: string }>>;
  /** Takes the role from every member of the organization; answers whose it was. */
  removeRoleFromAll(organizationId: string, roleId: string): Promise<string[]>;
}
