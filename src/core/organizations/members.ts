import { AppError, notFound, validationError } from '../errors.js';
import { assertCanManageOrganizations, assertCanReadOrganizations } from '../policy.js';
import type { Principal } from '../types.js';
import type { ListQuery, Member, MemberPage } from './organization.types.js';
import {
  type OrgDeps,
  UUID,
  decodeCursor,
  encodeCursor,
  findOrganization,
  iso,
  organizationRoleIds,
  pageSize,
  recordEvent,
  searchTerm,
} from './shared.js';

export interface MemberService {
  /** Makes a live user a member with these organization roles (ids or names); 409 when already one. */
  add(actor: Principal, idOrSlug: string, userId: string, roles?: readonly string[]): Promise<Member>;
  /** Newest member first; `search` on username, email and name. */
  list(actor: Principal, idOrSlug: string, query?: ListQuery): Promise<MemberPage>;
  /** Replaces the member's roles there. */
  setRoles(actor: Principal, idOrSlug: string, userId: string, roles: readonly string[]): Promise<Member>;
  remove(actor: Principal, idOrSlug: string, userId: string): Promise<void>;
}

/**
 * An organization's members: added, given roles and removed by admins, listed by staff. Each change is audited in
 * its transaction; a removal or a role change tells every instance about the user once it has committed.
 */
export function createMemberService({ storage, now, publishUser }: OrgDeps): MemberService {
  const member = async (organizationId: string, userId: string) => {
    const found = UUID.test(userId) ? await storage.organizations.member(organizationId, userId) : undefined;
    if (!found) throw notFound('Member', userId);
    return found;
  };

  return {
    async add(actor, idOrSlug, userId, roles) {
      assertCanManageOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      const user = UUID.test(userId) ? await storage.users.byId(userId) : undefined;
      if (!user) throw validationError({ user_id: 'No such user' });
      await storage.transaction(async (s) => {
        const roleIds = await organizationRoleIds(s, roles);
        if (await s.memberships.isMember(organization.id, user.id))
          throw new AppError('DUPLICATE_RESOURCE', 'The user is a member already', {
            field: 'user_id',
          });
        await s.memberships.add(organization.id, user.id, roleIds, iso(now));
        await recordEvent(s, actor, iso(now), 'organization.member_added', organization, user.id, {
          roles: roleIds,
        });
      });
      return member(organization.id, user.id);
    },

    async list(actor, idOrSlug, query = {}) {
      assertCanReadOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      const limit = pageSize(query.limit);
      const search = searchTerm(query.search);
      const after =
        query.cursor === undefined
          ? undefined
          : (([joinedAt, userId]) => ({ joinedAt: joinedAt!, userId: userId! }))(decodeCursor(query.cursor, 2));
      const rows = await storage.organizations.memberPage({
        organizationId: organization.id,
        search,
        after,
        limit: limit + 1,
      });
      const members = rows.slice(0, limit);
      const last = members[members.length - 1];
      return {
        members,
        nextCursor: rows.length > limit && last ? encodeCursor([last.joinedAt, last.user.id]) : null,
      };
    },

    async setRoles(actor, idOrSlug, userId, roles) {
      assertCanManageOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      await member(organization.id, userId);
      await storage.transaction(async (s) => {
        const roleIds = await organizationRoleIds(s, roles);
        const before = await s.memberships.roleIds(organization.id, userId);
        if (!(await s.memberships.setRoles(organization.id, userId, roleIds))) throw notFound('Member', userId);
        await recordEvent(s, actor, iso(now), 'organization.member_roles_changed', organization, userId, {
          from: before,
          to: [...roleIds].sort(),
        });
      });
      publishUser(userId);
      return member(organization.id, userId);
    },

    async remove(actor, idOrSlug, userId) {
      assertCanManageOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      if (!UUID.test(userId)) throw notFound('Member', userId);
      await storage.transaction(async (s) => {
        if (!(await s.memberships.remove(organization.id, userId))) throw notFound('Member', userId);
        await recordEvent(s, actor, iso(now), 'organization.member_removed', organization, userId);
      });
      publishUser(userId);
    },
  };
}
