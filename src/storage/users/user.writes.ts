import { randomBytes } from 'node:crypto';
import type { UserStore } from '../../core/storage.js';
import type { Picture } from '../../core/types.js';
import type { StoreContext } from '../store-context.js';
import { userQueries } from './user.queries.js';
import { PUBLIC_SELECTION, asDuplicate, changedColumns, newUserRow, toUser } from './user-rows.js';

type UserWrites = Pick<
  UserStore,
  'insert' | 'update' | 'restore' | 'softDelete' | 'recordLogin' | 'rehash' | 'insertMany'
>;

/**
 * The users store's writes to users and pictures: each answers with the row it
 * wrote where the core needs it, and reports every user whose row it wrote to
 * `changed` (see storage.ts).
 */
export function userWrites({ db, compiled, changed }: StoreContext): UserWrites {
  const q = compiled(userQueries);

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
      if (rehash === undefined) await q.recordLogin.in(db, { id, at });
      else
        await db.updateTable('users').set({ last_login_at: at, password_hash: rehash }).where('id', '=', id).execute();
      changed(id);
    },

    async rehash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
      changed(id);
    },

    async insertMany(records) {
      // 1,000 rows of 28 columns stay under SQLite's 32,766 bound parameters.
      for (let i = 0; i < records.length; i += 1000) {
        const rows = records.slice(i, i + 1000).map(newUserRow);
        try {
          await db.insertInto('users').values(rows).execute();
        } catch (error) {
          throw asDuplicate(error, records[i]!);
        }
      }
    },
  };
}
