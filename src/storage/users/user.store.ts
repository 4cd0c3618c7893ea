import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StateCache } from '../../core/state-cache.js';
import type { UserStore } from '../../core/storage.js';
import type { Picture, User } from '../../core/types.js';
import type { Database } from '../../db/database.js';
import { type Executor, type Prepared, type Values, prepared } from '../../db/prepared.js';
import type { Schema } from '../../db/schema.js';
import { createUserLists } from './user.list.js';
import { PUBLIC_SELECTION, asDuplicate, changedColumns, lowerKey, newUserRow, toUser } from './user-rows.js';

/** Queries compiled once per database and shared by every store over it (see db/prepared.ts). */
export function userQueries(database: Database) {
  const db = database.db;
  const live = (d: Kysely<Schema>) => d.selectFrom('users').select(PUBLIC_SELECTION).where('deleted_at', 'is', null);
  return {
    byId: prepared(database, ['id'], (p) => live(db).where('id', '=', p.id)),
    byUsername: prepared(database, ['key'], (p) => live(db).select('password_hash').where('username_key', '=', p.key)),
    byEmail: prepared(database, ['key'], (p) => live(db).select('password_hash').where('email_key', '=', p.key)),
    recordLogin: prepared(database, ['id', 'at'], (p) =>
      db.updateTable('users').set({ last_login_at: p.at }).where('id', '=', p.id),
    ),
    lists: createUserLists(database),
  };
}

export type UserQueries = ReturnType<typeof userQueries>;

/** A live user by id, outside any transaction; frozen, since the cache hands the same object to every reader. */
export async function readUser(q: UserQueries, id: string): Promise<User | undefined> {
  const [row] = await q.byId({ id });
  return row && Object.freeze(toUser(row));
}

/**
 * The users table and its pictures, over `executor`: the database itself
 * (`inTransaction` false: hot reads take the fast paths, `byId` through
 * `cache`) or a transaction. Every write to a user's row reports the user to
 * `changed` (see storage.ts).
 */
export function userStore(
  database: Database,
  q: UserQueries,
  executor: Executor,
  inTransaction: boolean,
  changed: (id: string) => void,
  cache?: StateCache<User>,
): UserStore {
  const db = executor as Kysely<Schema>;
  const run = <P extends string, R>(query: Prepared<P, R>, values: Values<P>) =>
    inTransaction ? query.in(executor, values) : query(values);
  const lockRows = database.dialect === 'postgres';

  // Random, not time-ordered: the id is the capability for the public picture URL.
  const newPictureId = () => randomBytes(16).toString('base64url');

  async function insertPicture(id: string, userId: string, picture: Picture, at: string): Promise<void> {
    await db
      .insertInto('pictures')
      .values({
        id,
        user_id: userId,
        content_type: picture.contentType,
        data: picture.data,
        size: picture.data.length,
        created_at: at,
      })
      .execute();
  }

  return {
    async byId(id) {
      if (cache) return cache.get(id);
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

    async restore(current, at) {
      try {
        const row = await db
          .updateTable('users')
          .set({ deleted_at: null, status: 'active', updated_at: at })
          .where('id', '=', current.id)
          .where('deleted_at', 'is not', null)
          .returning(PUBLIC_SELECTION)
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        throw asDuplicate(error, current);
      } finally {
        changed(current.id);
      }
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

    async insertMany(records) {
      // 1,000 rows of 26 columns stay under SQLite's 32,766 bound parameters.
      for (let i = 0; i < records.length; i += 1000) {
        const rows = records.slice(i, i + 1000).map(newUserRow);
        try {
          await db.insertInto('users').values(rows).execute();
        } catch (error) {
          throw asDuplicate(error, records[i]!);
        }
      }
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

    async insert(record, picture) {
      const row = { ...newUserRow(record), picture_id: picture ? newPictureId() : null };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (error) {
        throw asDuplicate(error, record);
      }
      if (picture) await insertPicture(row.picture_id!, row.id, picture, record.createdAt);
      return toUser({ ...row, has_password: row.password_hash !== null, mfa_enabled: false });
    },

    async update(current, changes) {
      const { picture, ...fields } = changes;
      let pictureId: string | null | undefined;
      if (picture !== undefined) {
        // A replaced or removed picture is gone at once: its URL answers 404.
        await db.deleteFrom('pictures').where('user_id', '=', current.id).execute();
        pictureId = picture && newPictureId();
        if (picture) await insertPicture(pictureId!, current.id, picture, changes.updatedAt);
      }
      try {
        const row = await db
          .updateTable('users')
          .set({ ...changedColumns(current, fields), ...(pictureId !== undefined && { picture_id: pictureId }) })
          .where('id', '=', current.id)
          .where('deleted_at', 'is', null)
          .returning(PUBLIC_SELECTION)
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        throw asDuplicate(error, fields);
      } finally {
        changed(current.id);
      }
    },

    async softDelete(id, at) {
      const result = await db
        .updateTable('users')
        .set({ deleted_at: at, updated_at: at })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      await db.deleteFrom('pictures').where('user_id', '=', id).execute();
      changed(id);
      return result.numUpdatedRows > 0n;
    },

    async recordLogin(id, at, rehash) {
      if (rehash === undefined) await q.recordLogin.in(executor, { id, at });
      else
        await db.updateTable('users').set({ last_login_at: at, password_hash: rehash }).where('id', '=', id).execute();
      changed(id);
    },

    async rehash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
      changed(id);
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
  };
}
