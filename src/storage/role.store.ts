import { type SqlBool, sql } from 'kysely';
import { AppError } from '../core/errors.js';
import type { RoleGrant, RoleScope, RoleStore, TeamRole } from '../core/storage.js';
import { uniqueViolation } from '../db/database.js';
import type { RolesTable } from '../db/schema.organizations.js';
import type { StoreContext } from './store-context.js';
import { likePattern } from './users/user-search.js';

/** roles and user_roles (migration 0016); organization_member_roles is read for the grants. */

const permissionsOf = (text: string): string[] => JSON.parse(text) as string[];

const toRole = (r: RolesTable): TeamRole => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: permissionsOf(r.permissions),
  scope: r.scope as RoleScope,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const duplicate = (error: unknown): never => {
  if (uniqueViolation(error) === undefined) throw error;
  throw new AppError('DUPLICATE_RESOURCE', 'A role with this name exists already', { field: 'name' });
};

export function roleStore({ db }: StoreContext): RoleStore {
  const all = () => db.selectFrom('roles').selectAll();
  return {
    async insert(role) {
      await db
        .insertInto('roles')
        .values({
          id: role.id,
          name: role.name,
          description: role.description,
          permissions: JSON.stringify(role.permissions),
          scope: role.scope,
          created_at: role.createdAt,
          updated_at: role.updatedAt,
        })
        .execute()
        .catch(duplicate);
    },
    async find(id) {
      const row = await all().where('id', '=', id).executeTakeFirst();
      return row && toRole(row);
    },
    async findByName(name) {
      const row = await all().where('name', '=', name).executeTakeFirst();
      return row && toRole(row);
    },
    async page({ search, scope, afterName, limit }) {
      let query = all();
      if (search) query = query.where(sql<SqlBool>`lower(name) like ${likePattern(search)} escape '\\'`);
      if (scope) query = query.where('scope', '=', scope);
      if (afterName !== undefined) query = query.where('name', '>', afterName);
      return (await query.orderBy('name').limit(limit).execute()).map(toRole);
    },
    async update(role) {
      await db
        .updateTable('roles')
        .set({
          name: role.name,
          description: role.description,
          permissions: JSON.stringify(role.permissions),
          updated_at: role.updatedAt,
        })
        .where('id', '=', role.id)
        .execute()
        .catch(duplicate);
    },
    async delete(id) {
      // Explicitly, not only by the foreign keys: SQLite enforces them only with the pragma on.
      await db.deleteFrom('user_roles').where('role_id', '=', id).execute();
      await db.deleteFrom('organization_member_roles').where('role_id', '=', id).execute();
      const deleted = await db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },
    async resolve(idsOrNames) {
      if (idsOrNames.length === 0) return [];
      const rows = await all()
        .where((eb) => eb.or([eb('id', 'in', [...idsOrNames]), eb('name', 'in', [...idsOrNames])]))
        .execute();
      return rows.map(toRole);
    },
    async rolesOf(userId) {
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .selectAll('roles')
        .where('user_roles.user_id', '=', userId)
        .orderBy('roles.name')
        .execute();
      return rows.map(toRole);
    },
    async setRolesOf(userId, roleIds, at) {
      await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      if (roleIds.length === 0) return;
      await db
        .insertInto('user_roles')
        .values([...new Set(roleIds)].map((role_id) => ({ user_id: userId, role_id, created_at: at })))
        .execute();
    },
    async holders(roleId) {
      const rows = await db
        .selectFrom('user_roles')
        .select('user_id')
        .where('role_id', '=', roleId)
        .union(db.selectFrom('organization_member_roles').select('user_id').where('role_id', '=', roleId))
        .execute();
      return rows.map((r) => r.user_id);
    },
    async grants(userId, organizationId) {
      // One round trip: the global roles, and the membership row and organization roles when asked.
      let query = db
        .selectFrom('user_roles as ur')
        .innerJoin('roles as r', 'r.id', 'ur.role_id')
        .select([sql<string>`'g'`.as('kind'), 'r.name', 'r.permissions'])
        .where('ur.user_id', '=', userId)
        .where('r.scope', '=', 'global');
      if (organizationId !== undefined)
        query = query
          .unionAll(
            db
              .selectFrom('organization_member_roles as mr')
              .innerJoin('roles as r', 'r.id', 'mr.role_id')
              .select([sql<string>`'o'`.as('kind'), 'r.name', 'r.permissions'])
              .where('mr.user_id', '=', userId)
              .where('mr.organization_id', '=', organizationId)
              .where('r.scope', '=', 'organization'),
          )
          .unionAll(
            db
              .selectFrom('organization_members as m')
              .select([sql<string>`'m'`.as('kind'), sql<string>`''`.as('name'), sql<string>`'[]'`.as('permissions')])
              .where('m.user_id', '=', userId)
              .where('m.organization_id', '=', organizationId),
          );
      const rows = await query.execute();
      const of = (kind: string): RoleGrant[] =>
        rows
          .filter((r) => r.kind === kind)
          .map((r) => ({ name: r.name, permissions: permissionsOf(r.permissions) }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return {
        global: of('g'),
        ...(organizationId !== undefined && {
          organization: { id: organizationId, member: rows.some((r) => r.kind === 'm'), roles: of('o') },
        }),
      };
    },
  };
}
