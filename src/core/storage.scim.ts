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
  /** Of these user ids, the members SCIM may see, in the given order, with the userName SCIM knows them by. */
  userNames(organizationId: string, userIds: readonly string[]): Promise<Array<{ id: string; userName: string }>>;
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
}
