import type { UserStore } from '../../core/storage.js';
import type { Prepared, Values } from '../../db/prepared.js';
import type { StoreContext } from '../store-context.js';
import { userQueries } from './user.queries.js';
import { userAttributes } from './user.attributes.js';
import { userWrites } from './user.writes.js';
import { PUBLIC_SELECTION, lowerKey, toUser } from './user-rows.js';

/**
 * The users table and its pictures: the reads here, the writes in
 * user.writes.ts. Outside a transaction hot reads take the fast paths
 * (db/prepared.ts) and `byId` goes through the context's cache of users.
 */
export function userStore(ctx: StoreContext): UserStore {
  const { db, inTransaction, users } = ctx;
  const q = ctx.compiled(userQueries);
  const run = <P extends string, R>(query: Prepared<P, R>, values: Values<P>) =>
    inTransaction ? query.in(db, values) : query(values);
  const lockRows = ctx.dialect === 'postgres';

  return {
    async byId(id) {
      if (users) return users.get(id);
      const [row] = await run(q.byId, { id });
      return row && toUser(row);
    },

    async byIdForUpdate(id) {
      let query = db.selectFrom('users').select(PUBLIC_SELECTION).where('deleted_at', 'is', null).where('id', '=', id);
      if (lockRows) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toUser(row);
    },

    async deletedById(id) {
      let query = db
        .selectFrom('users')
        .select(PUBLIC_SELECTION)
        .where('deleted_at', 'is not', null)
        .where('id', '=', id);
      if (lockRows) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toUser(row);
    },

    async credentials(login) {
      const [row] =
        login.username !== undefined
          ? await run(q.byUsername, { key: lowerKey(login.username) })
          : login.email !== undefined
            ? await run(q.byEmail, { key: lowerKey(login.email) })
            : [];
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    async passwordHash(id) {
      const row = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return row?.password_hash;
    },

    async taken(keys, exceptId) {
      // One indexed lookup per key: an OR of the two makes SQLite scan the whole table.
      const has = async (column: 'username_key' | 'email_key', value: string) =>
        (await db
          .selectFrom('users')
          .select('id')
          .where('deleted_at', 'is', null)
          .where(column, '=', lowerKey(value))
          .$if(exceptId !== undefined, (s) => s.where('id', '!=', exceptId!))
          .executeTakeFirst()) !== undefined;
      if (keys.username !== undefined && (await has('username_key', keys.username))) return 'username';
      if (keys.email !== undefined && (await has('email_key', keys.email))) return 'email';
      return undefined;
    },

    async withKeys(usernames, emails) {
      const found = new Map<string, { id: string; username: string; email: string }>();
      // One IN list per key column, in chunks: each is an indexed lookup.
      for (const [column, values] of [
        ['username_key', usernames],
        ['email_key', emails],
      ] as const) {
        for (let i = 0; i < values.length; i += 500) {
          const keys = values.slice(i, i + 500).map(lowerKey);
          const rows = await db
            .selectFrom('users')
            .select(['id', 'username', 'email'])
            .where('deleted_at', 'is', null)
            .where(column, 'in', keys)
            .execute();
          for (const row of rows) found.set(row.id, row);
        }
      }
      return [...found.values()];
    },

    async exportPage(afterId, limit, includeDeleted) {
      const rows = await db
        .selectFrom('users')
        .select([...PUBLIC_SELECTION, 'password_hash', 'deleted_at'])
        .$if(!includeDeleted, (s) => s.where('deleted_at', 'is', null))
        .$if(afterId !== null, (s) => s.where('id', '>', afterId!))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ user: toUser(row), passwordHash: row.password_hash, deletedAt: row.deleted_at }));
    },

    async createdByKey(keyId, limit) {
      const made = db.selectFrom('users').where('created_by_key_id', '=', keyId);
      const [rows, total] = await Promise.all([
        made.select('id').orderBy('id').limit(limit).execute(),
        made.select((e) => e.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { ids: rows.map((r) => r.id), count: Number(total.n) };
    },

    async otherActiveAdmins(exceptId) {
      // Locked in id order, so two callers cannot deadlock: two admins demoting each other cannot both pass.
      let query = db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
        .where('deleted_at', 'is', null)
        .orderBy('id');
      if (lockRows) query = query.forUpdate();
      return (await query.execute()).filter((r) => r.id !== exceptId).length;
    },

    count: (filter) => q.lists.count(filter),
    page: (query, total) => q.lists.page(query, total),

    async picture(pictureId) {
      const row = await db
        .selectFrom('pictures')
        .select(['content_type', 'data'])
        .where('id', '=', pictureId)
        .executeTakeFirst();
      return row && { contentType: row.content_type, data: Buffer.from(row.data) };
    },

    ...userWrites(ctx),
    ...userAttributes(ctx),
  };
}
