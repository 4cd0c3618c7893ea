import type { Kysely } from 'kysely';
import type { User } from '../../core/types.js';
import type { Database } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import type { Schema } from '../../db/schema.js';
import { createUserLists } from './user.list.js';
import { PUBLIC_SELECTION, toUser } from './user-rows.js';

/** The users' hot queries, compiled once per database and shared by every store over it (see db/prepared.ts). */
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
