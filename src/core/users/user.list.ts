import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Role, Status, User } from '../types.js';
import { USER_COLUMNS, hasPasswordColumn, toUser } from './user.repository.js';

export const SORT_FIELDS = ['created_at', 'username', 'email'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface ListQuery {
  status?: Status;
  role?: Role;
  search?: string;
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface ListResult {
  users: User[];
  total: number;
}

// Username and email sort case-insensitively, on the same keys uniqueness uses.
const SORT_COLUMN = { created_at: 'created_at', username: 'username_key', email: 'email_key' } as const;

/** Escapes LIKE wildcards so a search for "50%_off" means exactly that text. */
export const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listUsers(db: Kysely<Schema>, q: ListQuery): Promise<ListResult> {
  let base = db.selectFrom('users').where('deleted_at', 'is', null);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.role) base = base.where('role', '=', q.role);
  if (q.search) base = base.where(sql<boolean>`search_text like ${likePattern(q.search)} escape '\\'`);

  const column = SORT_COLUMN[q.sort];
  const [rows, count] = await Promise.all([
    base
      .select(USER_COLUMNS)
      .select(hasPasswordColumn)
      .orderBy(column, q.order)
      .orderBy('id', q.order)
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { users: rows.map(toUser), total: Number(count.n) };
}
