import { type AuditType, auditEvent, sourceOf } from '../audit.js';
import { notFound, validationError } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageRoles, assertCanReadGrants, assertCanReadRoles, isSelf, privileged } from '../policy.js';
import type { Storage, Stores, TeamRole } from '../storage.js';
import type { Principal } from '../types.js';
import { type EffectivePermissions, effectivePermissions } from './permissions.js';
import { insertRole } from './role.create.js';
import { checkDescription, checkRoleName, checkScope, normalPermissions } from './role.rules.js';

export interface RoleFields {
  name?: string;
  description?: string;
  permissions?: string[];
  scope?: string;
}

export interface RoleService {
  create(actor: Principal, fields: RoleFields): Promise<TeamRole>;
  /** By name; `cursor` is the previous page's `nextCursor`. */
  list(
    actor: Principal,
    q: { search?: string; scope?: string; cursor?: string; limit: number },
  ): Promise<{ roles: TeamRole[]; nextCursor: string | null }>;
  /** By id or name. */
  get(actor: Principal, idOrName: string): Promise<TeamRole>;
  update(actor: Principal, idOrName: string, fields: RoleFields): Promise<TeamRole>;
  delete(actor: Principal, idOrName: string): Promise<void>;
  /** Replaces a user's global roles (given by id or name). */
  setUserRoles(actor: Principal, userId: string, roles: readonly string[]): Promise<TeamRole[]>;
  userRoles(actor: Principal, userId: string): Promise<TeamRole[]>;
  /** The effective permissions (permissions.ts); with an organization, the member's roles there too. */
  permissionsOf(actor: Principal, userId: string, organizationId?: string): Promise<EffectivePermissions>;
}

const cursorOf = (name: string) => Buffer.from(name).toString('base64url');

/**
 * The roles a team defines for its own applications (issue 28), and the global roles of users: changed by admins
 * with their audit events in the change's transaction, read by staff. Organization roles are given to members by
 * the organizations service (storage.memberships); the rule of what a user may do is permissions.ts's.
 */
export function createRoleService(o: { storage: Storage; bus: EventBus; now: () => number }): RoleService {
  const { storage } = o;
  const iso = () => new Date(o.now()).toISOString();
  const record = (s: Stores, actor: Principal, type: AuditType, role: TeamRole, extra: object = {}) =>
    s.audit.record(
      auditEvent(
        sourceOf(actor),
        { type, targetId: null, details: { role_id: role.id, name: role.name, ...extra } },
        iso(),
      ),
    );
  const find = async (idOrName: string) => {
    const found = (await storage.roles.find(idOrName)) ?? (await storage.roles.findByName(idOrName));
    if (!found) throw notFound('Role', idOrName);
    return found;
  };
  const liveUser = async (id: string) => {
    const user = await storage.users.byId(id);
    if (!user) throw notFound('User', id);
    return user;
  };

  return {
    async create(actor, fields) {
      assertCanManageRoles(actor);
      if (fields.name === undefined) throw validationError({ name: 'name is required' });
      checkRoleName(fields.name);
      checkDescription(fields.description ?? '');
      const at = iso();
      const role: TeamRole = {
        id: uuidv7(o.now()),
        name: fields.name,
        description: fields.description ?? '',
        permissions: normalPermissions(fields.permissions ?? []),
        scope: checkScope(fields.scope ?? 'global'),
        createdAt: at,
        updatedAt: at,
      };
      await storage.transaction((s) => insertRole(s, sourceOf(actor), role));
      return role;
    },
    async list(actor, q) {
      assertCanReadRoles(actor);
      const scope = q.scope === undefined ? undefined : checkScope(q.scope);
      const afterName = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
      if (afterName !== undefined && (afterName === '' || afterName.length > 64))
        throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
      const search = q.search?.trim().slice(0, 100);
      const rows = await storage.roles.page({ search, scope, afterName, limit: q.limit + 1 });
      const roles = rows.slice(0, q.limit);
      const last = roles.at(-1);
      return { roles, nextCursor: rows.length > q.limit && last ? cursorOf(last.name) : null };
    },
    async get(actor, idOrName) {
      assertCanReadRoles(actor);
      return find(idOrName);
    },
    async update(actor, idOrName, fields) {
      assertCanManageRoles(actor);
      const before = await find(idOrName);
      if (fields.scope !== undefined && fields.scope !== before.scope)
        throw validationError({ scope: 'A role keeps the scope it was made with; make a new role instead' });
      if (fields.name !== undefined) checkRoleName(fields.name);
      if (fields.description !== undefined) checkDescription(fields.description);
      const next: TeamRole = {
        ...before,
        name: fields.name ?? before.name,
        description: fields.description ?? before.description,
        permissions: fields.permissions === undefined ? before.permissions : normalPermissions(fields.permissions),
        updatedAt: iso(),
      };
      const changed = (['name', 'description', 'permissions'] as const).filter(
        (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
      );
      if (changed.length === 0) return before;
      await storage.transaction(async (s) => {
        await s.roles.update(next);
        await record(s, actor, 'role.updated', next, {
          fields: changed,
          ...(changed.includes('permissions') && { permissions: next.permissions }),
          ...(changed.includes('name') && { previous_name: before.name }),
        });
      });
      return next;
    },
    async delete(actor, idOrName) {
      assertCanManageRoles(actor);
      const role = await find(idOrName);
      const holders = await storage.transaction(async (s) => {
        const held = await s.roles.holders(role.id);
        if (!(await s.roles.delete(role.id))) throw notFound('Role', idOrName);
        await record(s, actor, 'role.deleted', role, { scope: role.scope });
        return held;
      });
      // Whatever an instance keeps about these users' grants is read afresh.
      for (const id of new Set(holders)) o.bus.publish({ kind: 'user', id });
    },
    async setUserRoles(actor, userId, given) {
      assertCanManageRoles(actor);
      await liveUser(userId);
      const wanted = [...new Set(given)];
      const found = await storage.roles.resolve(wanted);
      const unknown = wanted.filter((r) => !found.some((f) => f.id === r || f.name === r));
      if (unknown.length > 0) throw validationError({ roles: `No such role: ${unknown.join(', ')}` });
      const scoped = found.filter((r) => r.scope !== 'global');
      if (scoped.length > 0)
        throw validationError({
          roles: `Organization roles are given to members of an organization, not to users: ${scoped.map((r) => r.name).join(', ')}`,
        });
      const roles = [...new Map(found.map((r) => [r.id, r])).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      const at = iso();
      const changed = await storage.transaction(async (s) => {
        const before = (await s.roles.rolesOf(userId)).map((r) => r.name);
        const after = roles.map((r) => r.name);
        if (JSON.stringify(before) === JSON.stringify(after)) return false;
        await s.roles.setRolesOf(
          userId,
          roles.map((r) => r.id),
          at,
        );
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            { type: 'user.roles_changed', targetId: userId, details: { roles: after, from: before } },
            at,
          ),
        );
        return true;
      });
      if (changed) o.bus.publish({ kind: 'user', id: userId });
      return roles;
    },
    async userRoles(actor, userId) {
      assertCanReadGrants(actor, userId);
      await liveUser(userId);
      return storage.roles.rolesOf(userId);
    },
    async permissionsOf(actor, userId, organizationId) {
      assertCanReadGrants(actor, userId);
      await liveUser(userId);
      if (organizationId !== undefined && !(await storage.organizations.find(organizationId)))
        throw notFound('Organization', organizationId);
      const effective = effectivePermissions(await storage.roles.grants(userId, organizationId));
      // A user asking about an organization they are not in learns nothing of it: the same 404 as for none.
      if (organizationId !== undefined && !effective.organization && isSelf(actor, userId) && !privileged(actor))
        throw notFound('Organization', organizationId);
      return effective;
    },
  };
}
