import { type Compilable, type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { type Prepared, prepared } from '../../db/prepared.js';
import { validationError } from '../errors.js';
import type { Role, Status, User } from '../types.js';
import { type Countable, CountCache } from './user.counts.js';
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

/** Escapes LIKE wildcards so a search for "50%_off" means exactly that text. */
export const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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

  function searchCondition(mode: SearchMode, value: string): Expression<SqlBool> {
    // An FTS5 trigram phrase matches exactly the rows containing the term as a substring.
    if (mode === 'fts') return sql<SqlBool>`users.rowid in (select rowid from users_search where users_search match ${value})`;
    // PostgreSQL's trigram GIN index serves LIKE (backslash is its default escape); SQLite needs it named.
    return dialect === 'postgres' ? sql<SqlBool>`search_text like ${value}` : sql<SqlBool>`search_text like ${value} escape '\\'`;
  }

  function filtered(shape: Pick<Shape, 'status' | 'role' | 'search'>, status: string, role: string, search: string) {
    let base = db.selectFrom('users').where('deleted_at', 'is', null);
    if (shape.status) base = base.where('status', '=', status as Status);
    if (shape.role) base = base.where('role', '=', role as Role);
    if (shape.search !== 'none') base = base.where(searchCondition(shape.search, search));
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

  /** The search mode and the value it binds: FTS on SQLite for 3+ characters and few matches, LIKE otherwise. */
  function search(q: ListQuery, fewMatches: boolean): [SearchMode, string] {
    if (q.search === undefined) return ['none', ''];
    const lowered = q.search.toLowerCase();
    if (dialect === 'sqlite' && fewMatches && [...lowered].length >= 3) return ['fts', `"${lowered.replaceAll('"', '""')}"`];
    return ['like', likePattern(q.search)];
  }

  const total = (q: ListQuery) =>
    counts.get(q, async () => {
      const [mode, value] = search(q, true);
      const shape = { count: true, status: q.status !== undefined, role: q.role !== undefined, search: mode };
      const query = once(shape, 3, (status, role, term) => filtered(shape, status!, role!, term!).select((eb) => eb.fn.countAll<number>().as('n')));
      const [row] = await query(q.status, q.role, value);
      return Number(row?.n ?? 0);
    });

  return {
    /** Keeps cached totals exact across this instance's writes (see user.counts.ts). */
    adjust: (before: Countable | undefined, after: Countable | undefined) => counts.adjust(before, after),

    async list(q: ListQuery): Promise<ListResult> {
      const column = SORT_COLUMN[q.sort];
      const n = await total(q);
      const [mode, value] = search(q, n <= SORT_SMALL_MATCHES_UP_TO);
      const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q);
      const shape: Shape = { status: q.status !== undefined, role: q.role !== undefined, search: mode, sort: q.sort, order: q.order, cursor: cursor !== undefined, offset: cursor === undefined && q.offset > 0 };
      const query = once(shape, 7, (status, role, term, cursorValue, cursorId, offset, limit) => {
        let page = filtered(shape, status!, role!, term!).select(USER_COLUMNS).select(hasPasswordColumn).select(`${column} as sort_value`);
        if (shape.cursor) page = page.where((eb) => eb(eb.refTuple(column, 'id'), q.order === 'asc' ? '>' : '<', eb.tuple(cursorValue!, cursorId!)));
        if (shape.offset) page = page.offset(offset as unknown as number);
        return page.orderBy(column, q.order).orderBy('id', q.order).limit(limit as unknown as number);
      });
      // One row more than asked tells whether another page follows.
      const rows = await query(q.status, q.role, value, cursor?.v, cursor?.id, q.offset, q.limit + 1);
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
