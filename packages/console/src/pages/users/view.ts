import { USER_ROLES, USER_STATUSES } from '../../api.js';

export const PAGE_SIZE = 20;
export const SORTS = [
  ['created_at', 'Created'],
  ['username', 'Username'],
  ['email', 'Email'],
] as const;
export type Sort = (typeof SORTS)[number][0];

/** The list's view, all of it in the query string. */
export interface View {
  search: string;
  status: string;
  role: string;
  sort: Sort;
  order: 'asc' | 'desc';
}

export function viewFrom(query: URLSearchParams, admin: boolean): View {
  const status = query.get('status') ?? '';
  const role = query.get('role') ?? '';
  const sort = query.get('sort') ?? '';
  return {
    search: (query.get('search') ?? '').slice(0, 100),
    status: (USER_STATUSES as readonly string[]).includes(status) || (admin && status === 'deleted') ? status : '',
    role: (USER_ROLES as readonly string[]).includes(role) ? role : '',
    sort: SORTS.some(([s]) => s === sort) ? (sort as Sort) : 'created_at',
    order:
      query.get('order') === 'asc'
        ? 'asc'
        : query.get('order') === 'desc'
          ? 'desc'
          : sort === 'username' || sort === 'email'
            ? 'asc'
            : 'desc',
  };
}

/** The view as query parameters, defaults left out so links stay short. */
export const filtersOf = (v: View): Record<string, string | undefined> => ({
  search: v.search || undefined,
  status: v.status || undefined,
  role: v.role || undefined,
  sort: v.sort === 'created_at' ? undefined : v.sort,
  order: v.order === (v.sort === 'created_at' ? 'desc' : 'asc') ? undefined : v.order,
});
