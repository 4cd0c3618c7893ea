import type { Compilable, Expression, SqlBool } from 'kysely';
import type { PageQuery, UserFilter } from '../../core/storage.js';
import type { User } from '../../core/types.js';
import type { Database } from '../../db/database.js';
import { type Placeholders, type Prepared, asNumber, prepared } from '../../db/prepared.js';
import { PUBLIC_SELECTION, toUser } from './user-rows.js';
import { type SearchMode, createSearchPlan, deletedSearch } from './user-search.js';

// Username and email sort case-insensitively, on the same keys uniqueness uses.
const SORT_COLUMN = { created_at: 'created_at', username: 'username_key', email: 'email_key' } as const;

// A search matching at most this many users is fetched from its index and sorted;
// more are found by reading the sort index and testing each row, which stops at
// the page's end (about limit x users/matches rows).
const SORT_SMALL_MATCHES_UP_TO = 2_000;

const VALUES = ['status', 'role', 'like', 'match', 'low', 'high'] as const;
const PAGE_VALUES = [...VALUES, 'afterValue', 'afterId', 'offset', 'limit'] as const;
type Value = (typeof VALUES)[number];

/** Everything about a list query but its values: each shape is compiled once. */
interface Shape {
  deleted: boolean;
  status: boolean;
  role: boolean;
  search: SearchMode;
}

/**
 * Counting and paging live users, with every filter, sort and search shape
 * compiled once (db/prepared.ts). How a search runs is the search plan's
 * business (user-search.ts, one per dialect).
 */
export function createUserLists(database: Database) {
  const db = database.db;
  const plan = createSearchPlan(database);
  const compiled = new Map<string, Prepared<any, any>>();

  function filtered(shape: Shape, p: Placeholders<Value>) {
    let base = db.selectFrom('users').where('deleted_at', shape.deleted ? 'is not' : 'is', null);
    if (shape.status) base = base.where('status', '=', p.status);
    if (shape.role) base = base.where('role', '=', p.role);
    if (shape.search !== 'none') base = base.where(plan.condition(shape.search, p) as Expression<SqlBool>);
    return base;
  }

  function once<const P extends string, R>(
    key: object,
    names: readonly P[],
    build: (p: Placeholders<P>) => Compilable<R>,
  ): Prepared<P, R> {
    const k = JSON.stringify(key);
    let query = compiled.get(k);
    if (!query) {
      query = prepared(database, names, build);
      compiled.set(k, query);
    }
    return query;
  }

  async function shapeOf(filter: UserFilter, fewMatches: boolean) {
    const deleted = filter.status === 'deleted';
    // Deleted users are few and have no search indexes: their rows (found by the deleted_at index) are tested one by
    // one.
    const search =
      filter.search === undefined
        ? undefined
        : deleted
          ? deletedSearch(filter.search)
          : await plan.values(filter.search, fewMatches);
    const shape: Shape = {
      deleted,
      status: filter.status !== undefined && !deleted,
      role: filter.role !== undefined,
      search: search?.mode ?? 'none',
    };
    return {
      shape,
      values: {
        status: filter.status,
        role: filter.role,
        like: undefined,
        match: undefined,
        low: undefined,
        high: undefined,
        ...search?.values,
      },
    };
  }

  return {
    async count(filter: UserFilter): Promise<number> {
      const { shape, values } = await shapeOf(filter, true);
      const query = once({ count: true, ...shape }, VALUES, (p) =>
        filtered(shape, p).select((eb) => eb.fn.countAll<number>().as('n')),
      );
      const [row] = await query(values);
      return Number(row?.n ?? 0);
    },

    async page(q: PageQuery, total: number): Promise<Array<{ user: User; sortValue: string }>> {
      const column = SORT_COLUMN[q.sort];
      const { shape, values } = await shapeOf(q, total <= SORT_SMALL_MATCHES_UP_TO);
      const after = q.after !== undefined;
      const skip = !after && q.offset > 0;
      const query = once({ ...shape, sort: q.sort, order: q.order, after, skip }, PAGE_VALUES, (p) => {
        let page = filtered(shape, p).select(PUBLIC_SELECTION).select(`${column} as sort_value`);
        if (after)
          page = page.where((eb) =>
            eb(eb.refTuple(column, 'id'), q.order === 'asc' ? '>' : '<', eb.tuple(p.afterValue, p.afterId)),
          );
        if (skip) page = page.offset(asNumber(p.offset));
        return page.orderBy(column, q.order).orderBy('id', q.order).limit(asNumber(p.limit));
      });
      const rows = await query({
        ...values,
        afterValue: q.after?.value,
        afterId: q.after?.id,
        offset: q.offset,
        limit: q.limit,
      });
      return rows.map((row) => ({ user: toUser(row), sortValue: String(row.sort_value) }));
    },
  };
}
