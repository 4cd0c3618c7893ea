import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { Schema } from '../../db/schema.js';
import { validationError } from '../errors.js';
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

/** Totals above this are counted in full at most once per COUNT_TTL_MS per filter (see docs/decisions.md). */
export const COUNT_EXACT_UP_TO = 10_000;
const COUNT_TTL_MS = 10_000;
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
export function createUserLister(db: Kysely<Schema>, dialect: Dialect, now: () => number) {
  const counts = new Map<string, { n: number; at: number }>();

  function searchCondition(term: string, fewMatches: boolean): Expression<SqlBool> {
    const lowered = term.toLowerCase();
    if (dialect === 'sqlite' && fewMatches && [...lowered].length >= 3) {
      // An FTS5 trigram phrase matches exactly the rows containing the term as a substring.
      const phrase = `"${lowered.replaceAll('"', '""')}"`;
      return sql<SqlBool>`users.rowid in (select rowid from users_search where users_search match ${phrase})`;
    }
    // PostgreSQL's trigram GIN index serves LIKE (backslash is its default escape); SQLite needs it named.
    return dialect === 'postgres' ? sql<SqlBool>`search_text like ${likePattern(term)}` : sql<SqlBool>`search_text like ${likePattern(term)} escape '\\'`;
  }

  function filtered(q: ListQuery, fewMatches = true) {
    let base = db.selectFrom('users').where('deleted_at', 'is', null);
    if (q.status) base = base.where('status', '=', q.status);
    if (q.role) base = base.where('role', '=', q.role);
    if (q.search) base = base.where(searchCondition(q.search, fewMatches));
    return base;
  }

  async function total(q: ListQuery): Promise<number> {
    const key = JSON.stringify([q.status, q.role, q.search?.toLowerCase()]);
    const cached = counts.get(key);
    if (cached && now() - cached.at < COUNT_TTL_MS) return cached.n;
    // Count at most COUNT_EXACT_UP_TO + 1 rows; only a larger result is counted in full, then remembered.
    const capped = await db
      .selectFrom(filtered(q).select(sql`1`.as('one')).limit(COUNT_EXACT_UP_TO + 1).as('capped'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(capped.n) <= COUNT_EXACT_UP_TO) return Number(capped.n);
    const full = await filtered(q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (counts.size > 1000) counts.clear();
    counts.set(key, { n: Number(full.n), at: now() });
    return Number(full.n);
  }

  return {
    /** Writes that add or remove users make cached totals stale. */
    invalidate: () => counts.clear(),

    async list(q: ListQuery): Promise<ListResult> {
      const column = SORT_COLUMN[q.sort];
      const n = await total(q);
      let page = filtered(q, n <= SORT_SMALL_MATCHES_UP_TO).select(USER_COLUMNS).select(hasPasswordColumn).select(`${column} as sort_value`);
      if (q.cursor !== undefined) {
        const c = decodeCursor(q.cursor, q);
        page = page.where((eb) => eb(eb.refTuple(column, 'id'), q.order === 'asc' ? '>' : '<', eb.tuple(c.v, c.id)));
      } else if (q.offset > 0) {
        page = page.offset(q.offset);
      }
      // One row more than asked tells whether another page follows.
      const rows = await page.orderBy(column, q.order).orderBy('id', q.order).limit(q.limit + 1).execute();
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
