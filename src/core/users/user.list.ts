import { validationError } from '../errors.js';
import type { Keyset, SortField, UserFilter, UserStore } from '../storage.js';
import type { User } from '../types.js';
import { type Countable, CountCache } from './user.counts.js';
import { PATTERNS } from '../patterns.js';
import { checkSearch } from './user.rules.js';
import { matchesSearch, searchText } from './search-rule.js';

const CONTROL = PATTERNS.control;

export { SORT_FIELDS, type SortField } from '../storage.js';

/** A list's order when the caller names none: newest first. */
export const DEFAULT_SORT = { sort: 'created_at', order: 'desc' } as const;

/** A list of live users as every surface asks for it. */
export interface ListQuery extends UserFilter {
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  /** Rows to skip (page/limit, limit/offset). Not with `cursor`. */
  offset?: number;
  /** Keyset pagination: the `nextCursor` of the previous page. Every page costs what the first does. */
  cursor?: string;
  /** Only the user with this external id (exact): one indexed read, the other filters applied to it. */
  externalId?: string;
}

export interface ListResult {
  users: User[];
  total: number;
  /** Where the next page starts, or null on the last page. */
  nextCursor: string | null;
}

interface Cursor {
  s: SortField;
  o: 'asc' | 'desc';
  v: string;
  id: string;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(raw: string, q: ListQuery): Keyset {
  let c: Partial<Cursor> | undefined;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (
    !c ||
    typeof c.v !== 'string' ||
    typeof c.id !== 'string' ||
    c.s !== q.sort ||
    c.o !== q.order ||
    CONTROL.test(c.v) ||
    CONTROL.test(c.id)
  ) {
    throw validationError({ cursor: 'Cursor is invalid, or was made for another sort or order' }, undefined, 'query');
  }
  return { value: c.v, id: c.id };
}

/**
 * Listing users, checked the same way for every surface: page/offset and
 * cursor are exclusive, a cursor must be one this sort and order made, a
 * search term must be printable and bounded. Totals come from the count
 * cache (user.counts.ts), kept exact by this instance's writes.
 */
export function createUserList(users: UserStore, now: () => number) {
  const counts = new CountCache(now);
  /** `?external_id=`: at most one user (the id is unique), as a page of one or none. */
  async function byExternalId(q: ListQuery, externalId: string): Promise<ListResult> {
    const user = await users.byExternalId(externalId, q.status === 'deleted');
    const match =
      user &&
      (q.role === undefined || user.role === q.role) &&
      (q.status === undefined || q.status === 'deleted' || user.status === q.status) &&
      (q.search === undefined || matchesSearch(searchText(user), q.search))
        ? [user]
        : [];
    const onFirstPage = (q.offset ?? 0) === 0 && q.cursor === undefined;
    return { users: onFirstPage ? match : [], total: match.length, nextCursor: null };
  }
  return {
    /** A user was created (no `before`), changed, or deleted (no `after`) through this instance. */
    adjust: (before: Countable | undefined, after: Countable | undefined) => counts.adjust(before, after),

    async list(q: ListQuery): Promise<ListResult> {
      if (q.cursor !== undefined && q.offset !== undefined)
        throw validationError({ cursor: 'Use either page (or offset) or cursor, not both' }, undefined, 'query');
      const problem = q.search === undefined ? undefined : checkSearch(q.search);
      if (problem) throw validationError({ search: problem }, undefined, 'query');
      if (q.externalId !== undefined) return byExternalId(q, q.externalId);
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q);
      const filter: UserFilter = { status: q.status, role: q.role, search: q.search };
      // Deleted users are not in the cached totals (writes adjust live ones only): counted each time, for admins only.
      const total =
        filter.status === 'deleted' ? await users.count(filter) : await counts.get(filter, () => users.count(filter));
      // One row more than asked tells whether another page follows.
      const rows = await users.page(
        { ...filter, sort: q.sort, order: q.order, limit: q.limit + 1, offset: q.offset ?? 0, after },
        total,
      );
      const more = rows.length > q.limit;
      const shown = more ? rows.slice(0, q.limit) : rows;
      const last = shown[shown.length - 1];
      return {
        users: shown.map((r) => r.user),
        total,
        nextCursor: more && last ? encodeCursor({ s: q.sort, o: q.order, v: last.sortValue, id: last.user.id }) : null,
      };
    },
  };
}
