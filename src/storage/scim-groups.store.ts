import { type Expression, type Kysely, sql } from 'kysely';
import type { ScimGroup, ScimStore } from '../core/storage.js';
import type { GroupColumn } from '../core/scim/query.js';
import { uniqueness } from '../core/scim/scim-errors.js';
import { uniqueViolation } from '../db/database.js';
import type { Dialect } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import type { ScimGroupsTable } from '../db/schema.scim.js';
import { conditionOf } from './scim.query.js';

/** scim_groups (part of scim.store.ts); the roles and member roles are the roles' and memberships' stores'. */

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

export function scimGroupQueries(db: Kysely<Schema>, dialect: Dialect) {
  return {
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
  };
}
