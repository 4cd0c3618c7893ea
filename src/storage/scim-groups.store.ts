import { type Expression, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { ScimGroup, ScimStore } from '../core/storage.js';
import type { GroupColumn } from '../core/scim/query.js';
import { uniqueness } from '../core/scim/scim-errors.js';
import { uniqueViolation } from '../db/database.js';
import type { Dialect } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import type { ScimGroupsTable } from '../db/schema.scim.js';
import { conditionOf } from './scim.query.js';

/** scim_groups, and the roles and member roles SCIM's groups read and write (part of scim.store.ts). */

const toGroup = (r: ScimGroupsTable): ScimGroup => ({
  id: r.id,
  organizationId: r.organization_id,
  roleId: r.role_id,
  displayName: r.display_name,
  externalId: r.external_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const GROUP_SQL: Record<GroupColumn, Expression<unknown>> = {
  displayName: sql`lower(g.display_name)`,
  externalId: sql.ref('g.external_id'),
  id: sql.ref('g.id'),
  created: sql.ref('g.created_at'),
  lastModified: sql.ref('g.updated_at'),
};

// biome-ignore lint/suspicious/noExplicitAny: the members query builder of scim.store.ts, joined further here.
type Visible = (organizationId: string) => SelectQueryBuilder<any, any, object>;

export function scimGroupQueries(db: Kysely<Schema>, dialect: Dialect, visible: Visible) {
  return {
    async roleByName(name: string) {
      return db.selectFrom('roles').select(['id', 'scope']).where('name', '=', name).executeTakeFirst();
    },
    async insertRole(r: { id: string; name: string; scope: 'organization'; at: string }) {
      try {
        await db
          .insertInto('roles')
          .values({
            id: r.id,
            name: r.name,
            description: '',
            permissions: '[]',
            scope: r.scope,
            created_at: r.at,
            updated_at: r.at,
          })
          .execute();
      } catch (error) {
        throw uniqueViolation(error) ? uniqueness(`A role named "${r.name}" exists`) : error;
      }
    },
    async group(organizationId: string, id: string) {
      const row = await db
        .selectFrom('scim_groups')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toGroup(row);
    },
    async groupByRole(organizationId: string, roleId: string) {
      const row = await db
        .selectFrom('scim_groups')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('role_id', '=', roleId)
        .executeTakeFirst();
      return row && toGroup(row);
    },
    async groups(organizationId: string, query: Parameters<ScimStore['groups']>[1], offset: number, limit: number) {
      let base = db.selectFrom('scim_groups as g').where('g.organization_id', '=', organizationId);
      if (query) base = base.where(conditionOf(query, GROUP_SQL, undefined, dialect));
      const { total } = await base
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .executeTakeFirstOrThrow();
      const rows = limit === 0 ? [] : await base.selectAll('g').orderBy('g.id').limit(limit).offset(offset).execute();
      return { total: Number(total), items: rows.map(toGroup) };
    },
    async insertGroup(g: ScimGroup) {
      try {
        await db
          .insertInto('scim_groups')
          .values({
            id: g.id,
            organization_id: g.organizationId,
            role_id: g.roleId,
            display_name: g.displayName,
            external_id: g.externalId,
            created_at: g.createdAt,
            updated_at: g.updatedAt,
          })
          .execute();
      } catch (error) {
        throw uniqueViolation(error) ? uniqueness(`Group "${g.displayName}" exists`) : error;
      }
    },
    async updateGroup(id: string, c: { displayName?: string; externalId?: string | null; updatedAt: string }) {
      await db
        .updateTable('scim_groups')
        .set({
          ...(c.displayName !== undefined && { display_name: c.displayName }),
          ...(c.externalId !== undefined && { external_id: c.externalId }),
          updated_at: c.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
    async setGroupRole(id: string, roleId: string) {
      await db.updateTable('scim_groups').set({ role_id: roleId }).where('id', '=', id).execute();
    },
    async deleteGroup(id: string) {
      await db.deleteFrom('scim_groups').where('id', '=', id).execute();
    },
    async roleHolders(organizationId: string, roleId: string, limit: number) {
      const rows = await visible(organizationId)
        .innerJoin('organization_member_roles as r', (j) =>
          j.onRef('r.organization_id', '=', 'm.organization_id').onRef('r.user_id', '=', 'm.user_id'),
        )
        .where('r.role_id', '=', roleId)
        .select(['u.id', sql<string>`coalesce(s.user_name, u.username)`.as('user_name')])
        .orderBy('u.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, userName: r.user_name }));
    },
    async removeRoleFromAll(organizationId: string, roleId: string) {
      const rows = await db
        .selectFrom('organization_member_roles')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('role_id', '=', roleId)
        .execute();
      await db
        .deleteFrom('organization_member_roles')
        .where('organization_id', '=', organizationId)
        .where('role_id', '=', roleId)
        .execute();
      return rows.map((r) => r.user_id);
    },
  };
}
