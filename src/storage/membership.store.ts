import type { MembershipStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** organization_members and organization_member_roles (migration 0017). */
export function membershipStore({ db }: StoreContext): MembershipStore {
  const isMember = async (organizationId: string, userId: string) =>
    (await db
      .selectFrom('organization_members')
      .select('user_id')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) !== undefined;
  const insertRoles = async (organizationId: string, userId: string, roleIds: readonly string[]) => {
    if (roleIds.length === 0) return;
    await db
      .insertInto('organization_member_roles')
      .values([...new Set(roleIds)].map((role_id) => ({ organization_id: organizationId, user_id: userId, role_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  };
  return {
    async add(organizationId, userId, roleIds, now) {
      const inserted = await db
        .insertInto('organization_members')
        .values({ organization_id: organizationId, user_id: userId, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      await insertRoles(organizationId, userId, roleIds);
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async remove(organizationId, userId) {
      await db
        .deleteFrom('organization_member_roles')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .execute();
      const deleted = await db
        .deleteFrom('organization_members')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },
    isMember,
    async roleIds(organizationId, userId) {
      const rows = await db
        .selectFrom('organization_member_roles')
        .select('role_id')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .orderBy('role_id')
        .execute();
      return rows.map((r) => r.role_id);
    },
    async setRoles(organizationId, userId, roleIds) {
      if (!(await isMember(organizationId, userId))) return false;
      await db
        .deleteFrom('organization_member_roles')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .execute();
      await insertRoles(organizationId, userId, roleIds);
      return true;
    },
    async addRole(organizationId, userId, roleId) {
      if (!(await isMember(organizationId, userId))) return false;
      await insertRoles(organizationId, userId, [roleId]);
      return true;
    },
    async removeRole(organizationId, userId, roleId) {
      const deleted = await db
        .deleteFrom('organization_member_roles')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .where('role_id', '=', roleId)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },
    async roleHolders(organizationId, roleId, limit) {
      const rows = await db
        .selectFrom('organization_member_roles as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select('u.id')
        .where('r.organization_id', '=', organizationId)
        .where('r.role_id', '=', roleId)
        .where('u.deleted_at', 'is', null)
        .orderBy('u.id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async removeRoleFromAll(organizationId, roleId) {
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
    async organizationIdsOf(userId) {
      const rows = await db
        .selectFrom('organization_members')
        .select('organization_id')
        .where('user_id', '=', userId)
        .orderBy('organization_id')
        .execute();
      return rows.map((r) => r.organization_id);
    },
  };
}
