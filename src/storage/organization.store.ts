import { type SqlBool, sql } from 'kysely';
import { customDataOf } from '../core/custom-data/custom-data.rules.js';
import { domainTaken, slugTaken } from '../core/organizations/organization.rules.js';
import type { Member, Organization, RoleRef } from '../core/organizations/organization.types.js';
import type { OrganizationStore } from '../core/storage.js';
import { uniqueViolation } from '../db/database.js';
import type { OrganizationsTable } from '../db/schema.organizations.js';
import type { StoreContext } from './store-context.js';

/**
 * Organizations and their domains (migration 0017); the members page and the caller's organizations join users and
 * roles here, read-only (memberships are written through the membership store).
 */

const COLUMNS = ['id', 'name', 'slug', 'domains', 'custom_data', 'created_at', 'updated_at'] as const;

const toOrganization = (r: Omit<OrganizationsTable, 'name_key'>): Organization => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  domains: JSON.parse(r.domains) as string[],
  customData: customDataOf(r.custom_data),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const changeable = (o: Organization) => ({
  name: o.name,
  name_key: o.name.toLowerCase(),
  slug: o.slug,
  domains: JSON.stringify(o.domains),
  custom_data: Object.keys(o.customData).length === 0 ? null : JSON.stringify(o.customData),
  updated_at: o.updatedAt,
});

/** Lower case, LIKE wildcards escaped: a search for "50%_off" means exactly that text. */
const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function organizationStore({ db }: StoreContext): OrganizationStore {
  const writeDomains = async (organizationId: string, domains: readonly string[]) => {
    await db.deleteFrom('organization_domains').where('organization_id', '=', organizationId).execute();
    if (domains.length === 0) return;
    const taken = await db
      .selectFrom('organization_domains')
      .select('domain')
      .where('domain', 'in', [...domains])
      .orderBy('domain')
      .executeTakeFirst();
    if (taken) throw domainTaken(taken.domain);
    try {
      await db
        .insertInto('organization_domains')
        .values(domains.map((domain) => ({ domain, organization_id: organizationId })))
        .execute();
    } catch (error) {
      // Another organization took one meanwhile (the index decides); which one, the next try says.
      if (uniqueViolation(error)) throw domainTaken(domains[0]!);
      throw error;
    }
  };
  const bySlugViolation = async <T>(slug: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (uniqueViolation(error)) throw slugTaken(slug);
      throw error;
    }
  };
  const rolesOf = async (organizationId: string, userIds: readonly string[]) => {
    const roles = new Map<string, RoleRef[]>();
    if (userIds.length === 0) return roles;
    const rows = await db
      .selectFrom('organization_member_roles as m')
      .innerJoin('roles as r', 'r.id', 'm.role_id')
      .select(['m.user_id', 'r.id', 'r.name'])
      .where('m.organization_id', '=', organizationId)
      .where('m.user_id', 'in', [...userIds])
      .orderBy('r.name')
      .execute();
    for (const r of rows) roles.set(r.user_id, [...(roles.get(r.user_id) ?? []), { id: r.id, name: r.name }]);
    return roles;
  };
  const members = () =>
    db
      .selectFrom('organization_members as om')
      .innerJoin('users as u', 'u.id', 'om.user_id')
      .select(['om.user_id', 'om.created_at', 'u.username', 'u.email', 'u.first_name', 'u.last_name', 'u.status'])
      .where('u.deleted_at', 'is', null);
  const withRoles = async (
    organizationId: string,
    rows: Awaited<ReturnType<ReturnType<typeof members>['execute']>>,
  ) => {
    const roles = await rolesOf(
      organizationId,
      rows.map((r) => r.user_id),
    );
    return rows.map(
      (r): Member => ({
        user: {
          id: r.user_id,
          username: r.username,
          email: r.email,
          firstName: r.first_name,
          lastName: r.last_name,
          status: r.status,
        },
        roles: roles.get(r.user_id) ?? [],
        joinedAt: r.created_at,
      }),
    );
  };

  return {
    async insert(o) {
      await bySlugViolation(o.slug, () =>
        db
          .insertInto('organizations')
          .values({ id: o.id, created_at: o.createdAt, ...changeable(o) })
          .execute(),
      );
      await writeDomains(o.id, o.domains);
    },
    async update(o) {
      const result = await bySlugViolation(o.slug, () =>
        db.updateTable('organizations').set(changeable(o)).where('id', '=', o.id).executeTakeFirst(),
      );
      if (result.numUpdatedRows === 0n) return false;
      await writeDomains(o.id, o.domains);
      return true;
    },
    async delete(id) {
      const result = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async find(id) {
      const row = await db.selectFrom('organizations').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toOrganization(row);
    },
    async findBySlug(slug) {
      const row = await db.selectFrom('organizations').select(COLUMNS).where('slug', '=', slug).executeTakeFirst();
      return row && toOrganization(row);
    },
    async slugExists(slug) {
      return (
        (await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
      );
    },
    async page({ search, beforeId, limit }) {
      let query = db.selectFrom('organizations').select(COLUMNS);
      if (search) {
        const like = likePattern(search);
        query = query.where(sql<SqlBool>`(name_key like ${like} escape '\\' or slug like ${like} escape '\\')`);
      }
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      return (await query.orderBy('id', 'desc').limit(limit).execute()).map(toOrganization);
    },
    async memberPage({ organizationId, search, after, limit }) {
      let query = members().where('om.organization_id', '=', organizationId);
      if (search) query = query.where(sql<SqlBool>`u.search_text like ${likePattern(search)} escape '\\'`);
      // A row comparison, so both dialects seek to the cursor in organization_members_joined (migration 0021)
      // rather than read every newer member first.
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple('om.created_at', 'om.user_id'), '<', eb.tuple(after.joinedAt, after.userId)),
        );
      const rows = await query.orderBy('om.created_at', 'desc').orderBy('om.user_id', 'desc').limit(limit).execute();
      return withRoles(organizationId, rows);
    },
    async member(organizationId, userId) {
      const rows = await members()
        .where('om.organization_id', '=', organizationId)
        .where('om.user_id', '=', userId)
        .execute();
      return (await withRoles(organizationId, rows))[0];
    },
    async memberIds(organizationId) {
      const rows = await db
        .selectFrom('organization_members')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .execute();
      return rows.map((r) => r.user_id);
    },
    async ofUser(userId) {
      const rows = await db
        .selectFrom('organization_members as om')
        .innerJoin('organizations as o', 'o.id', 'om.organization_id')
        .select(['o.id', 'o.name', 'o.slug', 'o.domains', 'o.custom_data', 'o.created_at', 'o.updated_at'])
        .select('om.created_at as joined_at')
        .where('om.user_id', '=', userId)
        .orderBy('o.name_key')
        .orderBy('o.id')
        .execute();
      const roles = await db
        .selectFrom('organization_member_roles as m')
        .innerJoin('roles as r', 'r.id', 'm.role_id')
        .select(['m.organization_id', 'r.id', 'r.name'])
        .where('m.user_id', '=', userId)
        .orderBy('r.name')
        .execute();
      return rows.map((r) => ({
        organization: toOrganization(r),
        roles: roles.filter((x) => x.organization_id === r.id).map((x) => ({ id: x.id, name: x.name })),
        joinedAt: r.joined_at,
      }));
    },
  };
}
