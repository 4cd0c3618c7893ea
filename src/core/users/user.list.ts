import { type Compilable, type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { type Prepared, prepared } from '../../db/prepared.js';
import { validationError } from '../errors.js';
import type { Role, Status, User } from '../types.js';
import { type Countable, CountCache } from './user.counts.js';
import { USER_COLUMNS, hasPasswordColumn, toUser } from './user.repository.js';
import { createTrigramPlanner, isPrefixTerm, likePattern } from './user.search.js';

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
 * Lists live users. Search is a case-insensitive match over username, email
 * and names: a substring for terms of three or more characters, served by
 * the trigram index; a prefix of one of the four for shorter terms, served by
 * their prefix indexes. Keyset pagination by (sort column, id).
 *
 * How a search runs: 'fts' and 'prefix' collect the matches from an index
 * and sort them (few matches); 'like' and 'prefix-scan' walk the sort index
 * and test each row, stopping at the page's end (many matches, so the page
 * fills quickly).
 */
type SearchMode = 'none' | 'fts' | 'like' | 'prefix' | 'prefix-scan';

/** The values a list query binds. */
interface Values {
  status?: string;
  role?: string;
  like?: string;
  match?: string;
  /** A short term, lower case, and the first string after every string it prefixes. */
  low?: string;
  high?: string;
}

// Sorts after every character a name can hold: [low, low + this) is exactly the strings starting with low.
const AFTER_ALL = '\u{10FFFF}';
const PREFIX_COLUMNS = ['username_key', 'email_key', 'first_name_key', 'last_name_key'] as const;


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

  // The prefix indexes are in the "C" collation on PostgreSQL (see migration 0004), where a range is a prefix.
  const prefixKey = (column: string) => (dialect === 'postgres' ? sql`(${sql.ref(column)} collate "C")` : sql.ref(column));
  const rowKey = dialect === 'postgres' ? 'id' : 'rowid';

  function searchCondition(mode: SearchMode, v: Values): Expression<SqlBool> {
    if (mode === 'prefix') {
      // One range scan per prefix index, merged: only the matching rows are read.
      const ranges = PREFIX_COLUMNS.map(
        (c) => sql`select ${sql.raw(rowKey)} from users where deleted_at is null and ${prefixKey(c)} >= ${v.low} and ${prefixKey(c)} < ${v.high}`,
      );
      return sql<SqlBool>`users.${sql.raw(rowKey)} in (${sql.join(ranges, sql` union all `)})`;
    }
    if (mode === 'prefix-scan') {
      // Written so no index can serve it: the sort index is walked instead, and the page fills fast.
      return sql<SqlBool>`(${sql.join(
        PREFIX_COLUMNS.map((c) => sql`substr(${sql.ref(c)}, 1, length(${v.low})) = ${v.low}`),
        sql` or `,
      )})`;
    }
    // PostgreSQL's trigram GIN index serves LIKE (backslash is its default escape); SQLite needs it named.
    const exactly = dialect === 'postgres' ? sql<SqlBool>`search_text like ${v.like}` : sql<SqlBool>`search_text like ${v.like} escape '\\'`;
    // On SQLite, candidates from the trigram index first (see user.search.ts), then the exact test.
    return mode === 'fts' ? sql<SqlBool>`users.rowid in (select rowid from users_search where users_search match ${v.match}) and ${exactly}` : exactly;
  }

  function filtered(shape: Pick<Shape, 'status' | 'role' | 'search'>, v: Values) {
    let base = db.selectFrom('users').where('deleted_at', 'is', null);
    if (shape.status) base = base.where('status', '=', v.status as Status);
    if (shape.role) base = base.where('role', '=', v.role as Role);
    if (shape.search !== 'none') base = base.where(searchCondition(shape.search, v));
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

  /**
   * How the search is run, and what it binds: prefixes for terms too short
   * for trigrams; the trigram index on SQLite for 3+ characters and few
   * matches; LIKE otherwise.
   */
  async function search(q: ListQuery, fewMatches: boolean): Promise<[SearchMode, Values]> {
    const v: Values = { status: q.status, role: q.role };
    if (q.search === undefined) return ['none', v];
    if (isPrefixTerm(q.search)) {
      v.low = q.search.toLowerCase();
      v.high = v.low + AFTER_ALL;
      return [fewMatches ? 'prefix' : 'prefix-scan', v];
    }
    v.like = likePattern(q.search);
    if (dialect === 'sqlite' && fewMatches) {
      v.match = await matchExpression(q.search);
      return ['fts', v];
    }
    return ['like', v];
  }

  const total = (q: ListQuery) =>
    counts.get(q, async () => {
      const [mode, v] = await search(q, true);
      const shape = { count: true, status: q.status !== undefined, role: q.role !== undefined, search: mode };
      const query = once(shape, 6, (status, role, like, match, low, high) =>
        filtered(shape, { status, role, like, match, low, high }).select((eb) => eb.fn.countAll<number>().as('n')),
      );
      const [row] = await query(v.status, v.role, v.like, v.match, v.low, v.high);
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
      const query = once(shape, 10, (status, role, like, match, low, high, cursorValue, cursorId, offset, limit) => {
        let page = filtered(shape, { status, role, like, match, low, high }).select(USER_COLUMNS).select(hasPasswordColumn).select(`${column} as sort_value`);
        if (shape.cursor) page = page.where((eb) => eb(eb.refTuple(column, 'id'), q.order === 'asc' ? '>' : '<', eb.tuple(cursorValue!, cursorId!)));
        if (shape.offset) page = page.offset(offset as unknown as number);
        return page.orderBy(column, q.order).orderBy('id', q.order).limit(limit as unknown as number);
      });
      // One row more than asked tells whether another page follows.
      const rows = await query(v.status, v.role, v.like, v.match, v.low, v.high, cursor?.v, cursor?.id, q.offset, q.limit + 1);
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
