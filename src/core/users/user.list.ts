import { type Compilable, type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { type Prepared, prepared } from '../../db/prepared.js';
import { validationError } from '../errors.js';
import type { Role, Status, User } from '../types.js';
import { type Countable, CountCache } from './user.counts.js';
import { USER_COLUMNS, hasPasswordColumn, toUser } from './user.repository.js';
import { createTrigramPlanner, likePattern } from './user.search.js';

export const SORT_FIELDS = ['created_at', 'username', 'email'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface ListQuery {
  status?: Status;
  role?: Role;
  search?: string;
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  /** Rows to skip (page/limit and limit/offset). Ignored when `cursor` is given. */
  offset: number;
  /** Keyset pagination: the `nextCursor` of the previous page. Every page costs what the first does. */
  cursor?: string;
}

export interface ListResult {
  users: User[];
  total: number;
  /** Where the next page starts, or null on the last page. */
  nextCursor: string | null;
}

// Username and email sort case-insensitively, on the same keys uniqueness uses.
const SORT_COLUMN = { created_at: 'created_at', username: 'username_key', email: 'email_key' } as const;

// On SQLite, a search matching more rows than this reads the sort index and
// tests each row, stopping at the page's end (about limit x users/matches rows);
// fewer matches are fetched from the trigram index and sorted.
const SORT_SMALL_MATCHES_UP_TO = 2_000;


interface Cursor {
  s: SortField;
  o: 'asc' | 'desc';
  v: string;
  id: string;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(raw: string, q: ListQuery): Cursor {
  let c: Partial<Cursor> | undefined;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (!c || typeof c.v !== 'string' || typeof c.id !== 'string' || c.s !== q.sort || c.o !== q.order) {
    throw validationError({ cursor: 'Cursor is invalid, or was made for another sort or order' });
  }
  return c as Cursor;
}

/**
 * Lists live users. Search is a case-insensitive substring match over
 * username, email and names, served by the trigram index for terms of three
 * or more characters (shorter terms scan). Keyset pagination by (sort column, id).
 */
type SearchMode = 'none' | 'fts' | 'like';

/** The values a list query binds. */
interface Values {
  status?: string;
  role?: string;
  like?: string;
  match?: string;
}

/** Everything about a list query but its values: each shape is compiled once. */
interface Shape {
  status: boolean;
  role: boolean;
  search: SearchMode;
  sort: SortField;
  order: 'asc' | 'desc';
  cursor: boolean;
  offset: boolean;
}

export function createUserLister(database: Database, now: () => number) {
  const db = database.db;
  const dialect = database.dialect;
  const counts = new CountCache(now);
  const compiled = new Map<string, Prepared<any>>();

  const matchExpression = createTrigramPlanner(database, now);

  function searchCondition(mode: SearchMode, like: string, match: string): Expression<SqlBool> {
    // PostgreSQL's trigram GIN index serves LIKE (backslash is its default escape); SQLite needs it named.
    const exactly = dialect === 'postgres' ? sql<SqlBool>`search_text like ${like}` : sql<SqlBool>`search_text like ${like} escape '\\'`;
    // On SQLite, candidates from the trigram index first (see user.search.ts), then the exact test.
    return mode === 'fts' ? sql<SqlBool>`users.rowid in (select rowid from users_search where users_search match ${match}) and ${exactly}` : exactly;
  }

  function filtered(shape: Pick<Shape, 'status' | 'role' | 'search'>, v: Values) {
    let base = db.selectFrom('users').where('deleted_at', 'is', null);
    if (shape.status) base = base.where('status', '=', v.status as Status);
    if (shape.role) base = base.where('role', '=', v.role as Role);
    if (shape.search !== 'none') base = base.where(searchCondition(shape.search, v.like as string, v.match as string));
    return base;
  }

  function once<R>(key: object, arity: number, build: (...p: string[]) => Compilable<R>): Prepared<R> {
    const k = JSON.stringify(key);
    let query = compiled.get(k);
    if (!query) {
      query = prepared(database, arity, build);
      compiled.set(k, query);
    }
    return query;
  }

  /** How the search is run, and what it binds: the trigram index on SQLite for 3+ characters and few matches, LIKE otherwise. */
  async function search(q: ListQuery, fewMatches: boolean): Promise<[SearchMode, Values]> {
    const v: Values = { status: q.status, role: q.role };
    if (q.search === undefined) return ['none', v];
    v.like = likePattern(q.search);
    if (dialect === 'sqlite' && fewMatches && [...q.search].length >= 3) {
      v.match = await matchExpression(q.search);
      return ['fts', v];
    }
    return ['like', v];
  }

  const total = (q: ListQuery) =>
    counts.get(q, async () => {
      const [mode, v] = await search(q, true);
      const shape = { count: true, status: q.status !== undefined, role: q.role !== undefined, search: mode };
      const query = once(shape, 4, (status, role, like, match) => filtered(shape, { status, role, like, match }).select((eb) => eb.fn.countAll<number>().as('n')));
      const [row] = await query(v.status, v.role, v.like, v.match);
      return Number(row?.n ?? 0);
    });

  return {
    /** Keeps cached totals exact across this instance's writes (see user.counts.ts). */
    adjust: (before: Countable | undefined, after: Countable | undefined) => counts.adjust(before, after),

    async list(q: ListQuery): Promise<ListResult> {
      const column = SORT_COLUMN[q.sort];
      const n = await total(q);
      const [mode, v] = await search(q, n <= SORT_SMALL_MATCHES_UP_TO);
      const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q);
      const shape: Shape = { status: q.status !== undefined, role: q.role !== undefined, search: mode, sort: q.sort, order: q.order, cursor: cursor !== undefined, offset: cursor === undefined && q.offset > 0 };
      const query = once(shape, 8, (status, role, like, match, cursorValue, cursorId, offset, limit) => {
        let page = filtered(shape, { status, role, like, match }).select(USER_COLUMNS).select(hasPasswordColumn).select(`${column} as sort_value`);
        if (shape.cursor) page = page.where((eb) => eb(eb.refTuple(column, 'id'), q.order === 'asc' ? '>' : '<', eb.tuple(cursorValue!, cursorId!)));
        if (shape.offset) page = page.offset(offset as unknown as number);
        return page.orderBy(column, q.order).orderBy('id', q.order).limit(limit as unknown as number);
      });
      // One row more than asked tells whether another page follows.
      const rows = await query(v.status, v.role, v.like, v.match, cursor?.v, cursor?.id, q.offset, q.limit + 1);
      const more = rows.length > q.limit;
      const shown = more ? rows.slice(0, q.limit) : rows;
      const last = shown[shown.length - 1];
      return {
        users: shown.map(toUser),
        total: n,
        nextCursor: more && last ? encodeCursor({ s: q.sort, o: q.order, v: String(last.sort_value), id: last.id }) : null,
      };
    },
  };
}
