import { type Expression, type SqlBool, sql } from 'kysely';
import type { ScimMember, ScimStore, ScimToken, ScimUserLink } from '../core/storage.js';
import type { UserColumn } from '../core/scim/query.js';
import { uniqueness } from '../core/scim/scim-errors.js';
import { uniqueViolation } from '../db/database.js';
import type { ScimTokensTable, ScimUsersTable } from '../db/schema.scim.js';
import { atOrganizationDomain, conditionOf } from './scim.query.js';
import { scimGroupQueries } from './scim-groups.store.js';
import type { StoreContext } from './store-context.js';
import { PUBLIC_SELECTION, toUser } from './users/user-rows.js';

/**
 * scim_tokens, scim_users and scim_groups (migration 0018), and the organization's members as SCIM sees them (live
 * users of role `user`, with their provisioning row). Roles, memberships, organizations and the users' own lookups
 * are their stores'.
 */

const toToken = (r: Omit<ScimTokensTable, 'token_hash'>): ScimToken => ({
  id: r.id,
  organizationId: r.organization_id,
  name: r.name,
  description: r.description,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
const TOKEN_COLUMNS = [
  'id',
  'organization_id',
  'name',
  'description',
  'prefix',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

const toLink = (r: ScimUsersTable): ScimUserLink => ({
  organizationId: r.organization_id,
  userId: r.user_id,
  userName: r.user_name,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const USER_SQL: Record<UserColumn, Expression<unknown>> = {
  userName: sql`coalesce(s.user_name_key, u.username_key)`,
  externalId: sql.ref('u.external_id'),
  id: sql.ref('u.id'),
  givenName: sql.ref('u.first_name_key'),
  familyName: sql.ref('u.last_name_key'),
  email: sql.ref('u.email_key'),
  created: sql.ref('u.created_at'),
  lastModified: sql.ref('u.updated_at'),
};
const ACTIVE_SQL: Expression<SqlBool> = sql<SqlBool>`u.status = 'active'`;
export function scimStore({ db, dialect }: StoreContext): ScimStore {
  // What SCIM may see: the organization's live members of role `user` it provisioned or whose address is at its domains.
  const visible = (organizationId: string) =>
    db
      .selectFrom('organization_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .leftJoin('scim_users as s', (j) =>
        j.onRef('s.organization_id', '=', 'm.organization_id').onRef('s.user_id', '=', 'm.user_id'),
      )
      .where('m.organization_id', '=', organizationId)
      .where('u.deleted_at', 'is', null)
      .where('u.role', '=', 'user')
      .where((eb) => eb.or([eb('s.user_id', 'is not', null), atOrganizationDomain]));

  async function withLinks(organizationId: string, ids: string[]): Promise<ScimMember[]> {
    if (ids.length === 0) return [];
    const users = await db.selectFrom('users').select(PUBLIC_SELECTION).where('id', 'in', ids).execute();
    const links = await db
      .selectFrom('scim_users')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('user_id', 'in', ids)
      .execute();
    const byId = new Map(users.map((r) => [r.id, toUser(r)]));
    const linkOf = new Map(links.map((r) => [r.user_id, toLink(r)]));
    return ids.flatMap((id) => {
      const user = byId.get(id);
      return user ? [{ user, link: linkOf.get(id) }] : [];
    });
  }

  return {
    async insertToken(t, tokenHash) {
      await db
        .insertInto('scim_tokens')
        .values({
          id: t.id,
          organization_id: t.organizationId,
          name: t.name,
          description: t.description,
          token_hash: tokenHash,
          prefix: t.prefix,
          created_by: t.createdBy,
          created_at: t.createdAt,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },
    async tokens(organizationId) {
      const rows = await db
        .selectFrom('scim_tokens')
        .select(TOKEN_COLUMNS)
        .where('organization_id', '=', organizationId)
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toToken);
    },
    async token(organizationId, id) {
      const row = await db
        .selectFrom('scim_tokens')
        .select(TOKEN_COLUMNS)
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toToken(row);
    },
    async tokenByHash(hash) {
      const row = await db
        .selectFrom('scim_tokens')
        .select(TOKEN_COLUMNS)
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return row && toToken(row);
    },
    async revokeToken(id, at) {
      const r = await db
        .updateTable('scim_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touchToken(id, at) {
      await db.updateTable('scim_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },

    async member(organizationId, userId) {
      const row = await visible(organizationId).select('u.id').where('u.id', '=', userId).executeTakeFirst();
      return row ? (await withLinks(organizationId, [row.id]))[0] : undefined;
    },
    async members(organizationId, query, offset, limit) {
      const base = query
        ? visible(organizationId).where(conditionOf(query, USER_SQL, ACTIVE_SQL, dialect))
        : visible(organizationId);
      const { total } = await base
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .executeTakeFirstOrThrow();
      const rows = limit === 0 ? [] : await base.select('u.id').orderBy('u.id').limit(limit).offset(offset).execute();
      return {
        total: Number(total),
        items: await withLinks(
          organizationId,
          rows.map((r) => r.id),
        ),
      };
    },
    async userNames(organizationId, userIds) {
      const names = new Map<string, string>();
      for (let i = 0; i < userIds.length; i += 500) {
        const rows = await visible(organizationId)
          .select(['u.id', sql<string>`coalesce(s.user_name, u.username)`.as('user_name')])
          .where('u.id', 'in', userIds.slice(i, i + 500))
          .execute();
        for (const r of rows) names.set(r.id, r.user_name);
      }
      return userIds.flatMap((id) => {
        const userName = names.get(id);
        return userName === undefined ? [] : [{ id, userName }];
      });
    },
    async link(organizationId, userId) {
      const row = await db
        .selectFrom('scim_users')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toLink(row);
    },
    async insertLink(l) {
      try {
        await db
          .insertInto('scim_users')
          .values({
            organization_id: l.organizationId,
            user_id: l.userId,
            user_name: l.userName,
            user_name_key: l.userName.toLowerCase(),
            attributes: JSON.stringify(l.attributes),
            created_at: l.createdAt,
            updated_at: l.updatedAt,
          })
          .execute();
      } catch (error) {
        throw uniqueViolation(error) ? uniqueness(`userName "${l.userName}" is taken`) : error;
      }
    },
    async updateLink(organizationId, userId, c) {
      try {
        await db
          .updateTable('scim_users')
          .set({
            user_name: c.userName,
            user_name_key: c.userName.toLowerCase(),
            attributes: JSON.stringify(c.attributes),
            updated_at: c.updatedAt,
          })
          .where('organization_id', '=', organizationId)
          .where('user_id', '=', userId)
          .execute();
      } catch (error) {
        throw uniqueViolation(error) ? uniqueness(`userName "${c.userName}" is taken`) : error;
      }
    },
    async releaseUserName(organizationId, userName) {
      await db
        .deleteFrom('scim_users')
        .where('organization_id', '=', organizationId)
        .where('user_name_key', '=', userName.toLowerCase())
        .where('user_id', 'in', db.selectFrom('users').select('id').where('deleted_at', 'is not', null))
        .execute();
    },
    async userNameHolder(organizationId, userName) {
      const key = userName.toLowerCase();
      const linked = await db
        .selectFrom('scim_users')
        .innerJoin('users', 'users.id', 'scim_users.user_id')
        .select('scim_users.user_id')
        .where('scim_users.organization_id', '=', organizationId)
        .where('scim_users.user_name_key', '=', key)
        .where('users.deleted_at', 'is', null)
        .executeTakeFirst();
      if (linked) return linked.user_id;
      const member = await visible(organizationId)
        .select('u.id')
        .where('u.username_key', '=', key)
        .where('s.user_id', 'is', null)
        .executeTakeFirst();
      return member?.id;
    },
    ...scimGroupQueries(db, dialect),
  };
}
