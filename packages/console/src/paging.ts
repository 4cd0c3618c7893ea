import { href, navigate } from './router.js';

/**
 * Cursor paging in the URL: `cursor` (the page's cursor, absent on page 1)
 * and `page` (its number, for people) are in the query string, with the
 * view's filters; the cursors of the pages before it, which "Previous page"
 * needs and which would make links grow without end, are in history.state.
 * A shared link to page 5 therefore opens page 5, and offers "First page"
 * rather than a "Previous page" it cannot know (until it has been there).
 */
export interface Paged {
  cursor: string | undefined;
  page: number;
}

export function pagedFrom(query: URLSearchParams): Paged {
  const cursor = query.get('cursor') || undefined;
  const page = Number(query.get('page'));
  return { cursor, page: cursor === undefined ? 1 : Number.isInteger(page) && page > 1 ? page : 2 };
}

/**
 * The cursors of pages 1..page-1 ('' for page 1, null where unknown): from
 * this history entry when it has them, else only page 1 is known.
 */
export function earlierCursors(state: unknown, page: number): Array<string | null> {
  const cursors = (state as { cursors?: unknown } | null)?.cursors;
  if (
    Array.isArray(cursors) &&
    cursors.length === page - 1 &&
    cursors.every((c) => typeof c === 'string' || c === null)
  )
    return cursors as Array<string | null>;
  return Array.from({ length: page - 1 }, (_, i) => (i === 0 ? '' : null));
}

type Query = Record<string, string | undefined>;

export function pagerActions(
  path: string,
  filters: Query,
  paged: Paged,
  state: unknown,
  nextCursor: string | null | undefined,
) {
  const stack = earlierCursors(state, paged.page);
  const before = stack[stack.length - 1];
  const go = (cursor: string | undefined, page: number, cursors: Array<string | null>) =>
    navigate(href(path, { ...filters, ...(cursor ? { cursor, page: String(page) } : {}) }), { state: { cursors } });
  return {
    canPrevious: paged.page > 1 && before !== null && before !== undefined,
    next: () => {
      if (nextCursor) go(nextCursor, paged.page + 1, [...stack, paged.cursor ?? '']);
    },
    previous: () => {
      if (before === null || before === undefined) return;
      go(before || undefined, paged.page - 1, stack.slice(0, -1));
    },
    first: () => go(undefined, 1, []),
  };
}
