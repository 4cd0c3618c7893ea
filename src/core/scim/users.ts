import { randomBytes } from 'node:crypto';
import { auditEvent, sourceOf } from '../audit.js';
import { notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import { PATTERNS } from '../patterns.js';
import type { ScimMember, Storage, Stores } from '../storage.js';
import { type Principal, systemPrincipal } from '../types.js';
import type { UserService } from '../users/user.service.js';
import type { UserChanges } from '../users/user.types.js';
import { LIMITS } from '../users/user.rules.js';
import { parseFilter } from './filter.js';
import { applyOp, patchOps } from './patch.js';
import { userQuery } from './query.js';
import { uniqueness } from './scim-errors.js';
import type { ScimScope } from './tokens.js';
import { ENTERPRISE_KEYS, type Json, type ScimUserInput, parseUser, userResource } from './user-resource.js';
import { type ListPage, assertVersion, listWindow, versionOf } from './versions.js';

/**
 * SCIM Users of one organization. Every user is made, changed and deleted
 * through the users service (its rules, audit, webhooks, sessions and
 * caches); what SCIM adds (the userName as sent, the attributes kept as
 * sent, the membership) is written beside it. SCIM sees only the
 * organization's live members of role `user`: Usher's own admins and
 * moderators are never a directory's to change.
 */
export interface ScimUsers {
  create(scope: ScimScope, body: unknown): Promise<ScimMember>;
  get(scope: ScimScope, id: string): Promise<ScimMember>;
  list(scope: ScimScope, q: { filter?: string; startIndex?: number; count?: number }): Promise<ListPage<ScimMember>>;
  replace(scope: ScimScope, id: string, body: unknown, ifMatch?: string): Promise<ScimMember>;
  patch(scope: ScimScope, id: string, body: unknown, ifMatch?: string): Promise<ScimMember>;
  remove(scope: ScimScope, id: string, ifMatch?: string): Promise<void>;
}

/** A valid Usher username for a SCIM userName (often an email address, which Usher's usernames cannot be). */
export function usernameFor(userName: string): string {
  if (
    userName.length >= LIMITS.usernameMin &&
    userName.length <= LIMITS.usernameMax &&
    PATTERNS.username.test(userName)
  )
    return userName;
  const local = userName.includes('@') ? userName.slice(0, userName.lastIndexOf('@')) : userName;
  const cleaned = local
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return cleaned.length >= LIMITS.usernameMin
    ? cleaned
    : `user_${cleaned}`.slice(0, 40).padEnd(LIMITS.usernameMin, '0');
}

export function createScimUsers(deps: {
  storage: Storage;
  users: UserService;
  bus: EventBus;
  now: () => number;
}): ScimUsers {
  const { storage, users, bus, now } = deps;
  const iso = () => new Date(now()).toISOString();
  const system = (scope: ScimScope): Principal => systemPrincipal(scope.client);
  const memberEvent = (
    scope: ScimScope,
    type: 'organization.member_added' | 'organization.member_removed',
    userId: string,
    at: string,
  ) =>
    auditEvent(
      sourceOf(system(scope)),
      {
        type,
        targetId: userId,
        details: { organization_id: scope.organizationId, via: 'scim', scim_token_id: scope.tokenId },
      },
      at,
    );

  async function visible(scope: ScimScope, id: string): Promise<ScimMember> {
    const member = await storage.scim.member(scope.organizationId, id);
    if (!member) throw notFound('User', id);
    return member;
  }

  async function freeUsername(userName: string): Promise<string> {
    const base = usernameFor(userName);
    if (!(await storage.users.taken({ username: base }))) return base;
    for (let i = 0; i < 5; i++) {
      const candidate = `${base.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
      if (!(await storage.users.taken({ username: candidate }))) return candidate;
    }
    throw uniqueness(`No free username for "${userName}"`);
  }

  const customDataOf = (current: Record<string, unknown>, input: ScimUserInput): Record<string, unknown> => {
    const next = { ...current };
    for (const key of ENTERPRISE_KEYS) {
      if (input.enterprise[key] === undefined) delete next[key];
      else next[key] = input.enterprise[key];
    }
    return next;
  };

  /** Writes `input` over the member: the users service for Usher's fields, then the provisioning row. */
  async function write(scope: ScimScope, member: ScimMember, input: ScimUserInput): Promise<ScimMember> {
    const { user, link } = member;
    const holder = await storage.scim.userNameHolder(scope.organizationId, input.userName);
    if (holder !== undefined && holder !== user.id) throw uniqueness(`userName "${input.userName}" is taken`);
    const status = input.active ? 'active' : user.status === 'active' ? 'suspended' : undefined;
    const customData = customDataOf(user.customData, input);
    const changes: UserChanges = {
      ...(input.email !== user.email && { email: input.email }),
      ...(input.givenName !== user.firstName && { firstName: input.givenName }),
      ...(input.familyName !== user.lastName && { lastName: input.familyName }),
      ...(status !== undefined && status !== user.status && { status }),
      ...(input.externalId !== user.externalId && { externalId: input.externalId }),
      ...(JSON.stringify(customData) !== JSON.stringify(user.customData) && {
        customData: { mode: 'replace', value: customData },
      }),
    };
    // The provisioning row in the user's change's own transaction (one commit); alone when Usher's fields stay.
    const writeLink = async (s: Stores) => {
      const at = iso();
      if (link?.userName.toLowerCase() !== input.userName.toLowerCase())
        await s.scim.releaseUserName(scope.organizationId, input.userName);
      if (!link)
        await s.scim.insertLink({
          organizationId: scope.organizationId,
          userId: user.id,
          userName: input.userName,
          attributes: input.extras,
          createdAt: at,
          updatedAt: at,
        });
      else if (link.userName !== input.userName || JSON.stringify(link.attributes) !== JSON.stringify(input.extras))
        await s.scim.updateLink(scope.organizationId, user.id, {
          userName: input.userName,
          attributes: input.extras,
          updatedAt: at,
        });
    };
    // The users service's rules and 409s refuse before anything is written.
    if (Object.keys(changes).length > 0)
      await users.update(system(scope), user.id, changes, [user.updatedAt], writeLink);
    else await storage.transaction(writeLink);
    return visible(scope, user.id);
  }

  async function restore(scope: ScimScope, id: string, input: ScimUserInput): Promise<ScimMember> {
    await users.restore(system(scope), id);
    await storage.transaction(async (s: Stores) => {
      const at = iso();
      await s.memberships.add(scope.organizationId, id, [], at);
      await s.audit.record(memberEvent(scope, 'organization.member_added', id, at));
    });
    bus.publish({ kind: 'user', id });
    return write(scope, await visible(scope, id), input);
  }

  return {
    async create(scope, body) {
      const input = parseUser(body);
      if (input.externalId !== null) {
        const live = await storage.users.byExternalId(input.externalId, false);
        const holder = live ?? (await storage.users.byExternalId(input.externalId, true));
        // The same person back from the directory: the same user, restored (docs/decisions.md); never one who became
        // Usher's staff since (SCIM only ever sees role `user`).
        if (!live && holder?.role === 'user' && (await storage.scim.link(scope.organizationId, holder.id)))
          return restore(scope, holder.id, input);
        if (holder) throw uniqueness(`externalId "${input.externalId}" is taken`);
      }
      if ((await storage.scim.userNameHolder(scope.organizationId, input.userName)) !== undefined)
        throw uniqueness(`userName "${input.userName}" is taken`);
      const username = await freeUsername(input.userName);
      const customData = customDataOf({}, input);
      const user = await users.create(
        system(scope),
        {
          username,
          email: input.email,
          firstName: input.givenName,
          lastName: input.familyName,
          status: input.active ? 'active' : 'suspended',
          externalId: input.externalId,
          ...(Object.keys(customData).length > 0 && { customData }),
        },
        {
          client: scope.client,
          within: async (s, created) => {
            await s.scim.releaseUserName(scope.organizationId, input.userName);
            await s.scim.insertLink({
              organizationId: scope.organizationId,
              userId: created.id,
              userName: input.userName,
              attributes: input.extras,
              createdAt: created.createdAt,
              updatedAt: created.createdAt,
            });
            await s.memberships.add(scope.organizationId, created.id, [], created.createdAt);
            await s.audit.record(memberEvent(scope, 'organization.member_added', created.id, created.createdAt));
          },
        },
      );
      bus.publish({ kind: 'user', id: user.id });
      return visible(scope, user.id);
    },

    get: visible,

    async list(scope, q) {
      const query = q.filter === undefined ? undefined : userQuery(parseFilter(q.filter));
      const { offset, limit } = listWindow(q);
      const page = await storage.scim.members(scope.organizationId, query, offset, limit);
      return { ...page, startIndex: offset + 1 };
    },

    async replace(scope, id, body, ifMatch) {
      const member = await visible(scope, id);
      assertVersion(versionOf(member.user.updatedAt, member.link?.updatedAt), ifMatch);
      return write(scope, member, parseUser(body));
    },

    async patch(scope, id, body, ifMatch) {
      const ops = patchOps(body);
      const member = await visible(scope, id);
      assertVersion(versionOf(member.user.updatedAt, member.link?.updatedAt), ifMatch);
      const resource = structuredClone(userResource(member)) as Json;
      for (const op of ops) applyOp(resource, op);
      return write(scope, member, parseUser(resource));
    },

    async remove(scope, id, ifMatch) {
      const member = await visible(scope, id);
      assertVersion(versionOf(member.user.updatedAt, member.link?.updatedAt), ifMatch);
      // Soft delete (every session ends), then out of the organization; the provisioning row stays for a restore.
      await users.remove(system(scope), id, [member.user.updatedAt]);
      await storage.transaction(async (s) => {
        const at = iso();
        if (await s.memberships.remove(scope.organizationId, id))
          await s.audit.record(memberEvent(scope, 'organization.member_removed', id, at));
      });
      bus.publish({ kind: 'user', id });
    },
  };
}
