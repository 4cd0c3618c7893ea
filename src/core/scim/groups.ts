import { auditEvent, sourceOf } from '../audit.js';
import { notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { insertRole } from '../roles/role.create.js';
import type { ScimGroup, Storage, Stores, TeamRole } from '../storage.js';
import { systemPrincipal } from '../types.js';
import { parseFilter } from './filter.js';
import { applyOp, patchOps } from './patch.js';
import { groupQuery } from './query.js';
import { invalidValue, uniqueness } from './scim-errors.js';
import type { ScimScope } from './tokens.js';
import type { Json } from './user-resource.js';
import { MEMBERS_MAX, type GroupInput, parseGroup } from './group-resource.js';
import { type ListPage, assertVersion, listWindow, versionOf } from './versions.js';

/**
 * SCIM Groups of one organization: each is the organization role of its
 * displayName (created, without permissions, on first push; a global role of
 * that name is a conflict), under an id of this organization's own. Its
 * members are the organization's members holding the role; only members SCIM
 * may see can be added. Deleting a group takes the role from this
 * organization's members and forgets the group; the role stays (other
 * organizations may use it, and its permissions are the team's).
 */
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export { MEMBERS_MAX };

export interface GroupView {
  group: ScimGroup;
  members: Array<{ id: string; userName: string }> | undefined;
}

export interface ScimGroups {
  create(scope: ScimScope, body: unknown): Promise<GroupView>;
  get(scope: ScimScope, id: string, withMembers?: boolean): Promise<GroupView>;
  list(
    scope: ScimScope,
    q: { filter?: string; startIndex?: number; count?: number },
    withMembers: boolean,
  ): Promise<ListPage<GroupView>>;
  replace(scope: ScimScope, id: string, body: unknown, ifMatch?: string): Promise<GroupView>;
  patch(scope: ScimScope, id: string, body: unknown, ifMatch?: string): Promise<GroupView>;
  remove(scope: ScimScope, id: string, ifMatch?: string): Promise<void>;
}

export function createScimGroups(deps: { storage: Storage; bus: EventBus; now: () => number }): ScimGroups {
  const { storage, bus, now } = deps;
  const iso = () => new Date(now()).toISOString();
  const source = (scope: ScimScope) => sourceOf(systemPrincipal(scope.client));
  const details = (scope: ScimScope, more: Json) => ({
    organization_id: scope.organizationId,
    via: 'scim',
    scim_token_id: scope.tokenId,
    ...more,
  });

  /** The members SCIM may see holding the role, with their userNames. */
  const holders = async (s: Stores, scope: ScimScope, roleId: string) =>
    s.scim.userNames(scope.organizationId, await s.memberships.roleHolders(scope.organizationId, roleId, MEMBERS_MAX));

  async function load(scope: ScimScope, id: string): Promise<ScimGroup> {
    const group = await storage.scim.group(scope.organizationId, id);
    if (!group) throw notFound('Group', id);
    return group;
  }
  const view = async (scope: ScimScope, group: ScimGroup, withMembers = true): Promise<GroupView> => ({
    group,
    members: withMembers ? await holders(storage, scope, group.roleId) : undefined,
  });

  /** The organization role of this name, made when there is none; a global role of that name is a conflict. */
  async function roleFor(s: Stores, scope: ScimScope, name: string, at: string): Promise<string> {
    const role = await s.roles.findByName(name);
    if (role && role.scope !== 'organization') throw uniqueness(`"${name}" is the name of a global role`);
    if (role) return role.id;
    const created: TeamRole = {
      id: uuidv7(),
      name,
      description: '',
      permissions: [],
      scope: 'organization',
      createdAt: at,
      updatedAt: at,
    };
    await insertRole(s, source(scope), created, details(scope, {}));
    return created.id;
  }

  async function checkMembers(s: Stores, scope: ScimScope, ids: readonly string[]): Promise<void> {
    for (const id of ids)
      if (!(await s.scim.member(scope.organizationId, id)))
        throw invalidValue(`Member "${id}" is not a user of this organization`);
  }

  /** Moves this organization's holders of the group's role to `wanted`; answers whose roles changed. */
  async function setMembers(
    s: Stores,
    scope: ScimScope,
    roleId: string,
    wanted: readonly string[],
    at: string,
  ): Promise<string[]> {
    const current = new Set((await holders(s, scope, roleId)).map((m) => m.id));
    const next = new Set(wanted);
    const added = [...next].filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !next.has(id));
    await checkMembers(s, scope, added);
    for (const id of added) await s.memberships.addRole(scope.organizationId, id, roleId);
    for (const id of removed) await s.memberships.removeRole(scope.organizationId, id, roleId);
    for (const [ids, key] of [
      [added, 'added'],
      [removed, 'removed'],
    ] as const)
      for (const id of ids)
        await s.audit.record(
          auditEvent(
            source(scope),
            { type: 'organization.member_roles_changed', targetId: id, details: details(scope, { [key]: [roleId] }) },
            at,
          ),
        );
    return [...added, ...removed];
  }

  const announce = (ids: readonly string[]) => {
    for (const id of ids) bus.publish({ kind: 'user', id });
  };

  /** Writes `input` over the group (a new displayName maps it to that role, moving its members). */
  async function write(scope: ScimScope, group: ScimGroup, input: GroupInput): Promise<GroupView> {
    const changed = await storage.transaction(async (s) => {
      const at = iso();
      let roleId = group.roleId;
      let moved: string[] = [];
      if (input.displayName !== group.displayName) {
        roleId = await roleFor(s, scope, input.displayName, at);
        if (roleId !== group.roleId) {
          if (await s.scim.groupByRole(scope.organizationId, roleId))
            throw uniqueness(`Group "${input.displayName}" exists`);
          moved = await s.memberships.removeRoleFromAll(scope.organizationId, group.roleId);
          await s.scim.setGroupRole(group.id, roleId);
        }
      }
      await s.scim.updateGroup(group.id, {
        displayName: input.displayName,
        externalId: input.externalId,
        updatedAt: at,
      });
      const touched = await setMembers(s, scope, roleId, input.members, at);
      await s.audit.record(
        auditEvent(
          source(scope),
          {
            type: 'scim_group.updated',
            targetId: null,
            details: details(scope, { group_id: group.id, role_id: roleId }),
          },
          at,
        ),
      );
      return [...moved, ...touched];
    });
    announce(changed);
    return view(scope, await load(scope, group.id));
  }

  return {
    async create(scope, body) {
      const input = parseGroup(body);
      const id = uuidv7();
      const changed = await storage.transaction(async (s) => {
        const at = iso();
        const roleId = await roleFor(s, scope, input.displayName, at);
        if (await s.scim.groupByRole(scope.organizationId, roleId))
          throw uniqueness(`Group "${input.displayName}" exists`);
        await s.scim.insertGroup({
          id,
          organizationId: scope.organizationId,
          roleId,
          displayName: input.displayName,
          externalId: input.externalId,
          createdAt: at,
          updatedAt: at,
        });
        await s.audit.record(
          auditEvent(
            source(scope),
            { type: 'scim_group.created', targetId: null, details: details(scope, { group_id: id, role_id: roleId }) },
            at,
          ),
        );
        return setMembers(s, scope, roleId, input.members, at);
      });
      announce(changed);
      return view(scope, await load(scope, id));
    },

    get: async (scope, id, withMembers = true) => view(scope, await load(scope, id), withMembers),

    async list(scope, q, withMembers) {
      const query = q.filter === undefined ? undefined : groupQuery(parseFilter(q.filter));
      const { offset, limit } = listWindow(q);
      const page = await storage.scim.groups(scope.organizationId, query, offset, limit);
      const items = [];
      for (const group of page.items) items.push(await view(scope, group, withMembers));
      return { total: page.total, startIndex: offset + 1, items };
    },

    async replace(scope, id, body, ifMatch) {
      const group = await load(scope, id);
      assertVersion(versionOf(group.updatedAt), ifMatch);
      return write(scope, group, parseGroup(body));
    },

    async patch(scope, id, body, ifMatch) {
      const ops = patchOps(body);
      const group = await load(scope, id);
      assertVersion(versionOf(group.updatedAt), ifMatch);
      const current = await view(scope, group);
      const resource: Json = {
        displayName: group.displayName,
        ...(group.externalId !== null && { externalId: group.externalId }),
        members: current.members!.map((m) => ({ value: m.id })),
      };
      for (const op of ops) applyOp(resource, op);
      return write(scope, group, parseGroup(resource));
    },

    async remove(scope, id, ifMatch) {
      const group = await load(scope, id);
      assertVersion(versionOf(group.updatedAt), ifMatch);
      const changed = await storage.transaction(async (s) => {
        const at = iso();
        const ids = await s.memberships.removeRoleFromAll(scope.organizationId, group.roleId);
        await s.scim.deleteGroup(group.id);
        await s.audit.record(
          auditEvent(
            source(scope),
            {
              type: 'scim_group.deleted',
              targetId: null,
              details: details(scope, { group_id: id, role_id: group.roleId }),
            },
            at,
          ),
        );
        return ids;
      });
      announce(changed);
    },
  };
}
