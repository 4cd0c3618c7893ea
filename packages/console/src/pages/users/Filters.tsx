import { useEffect, useRef, useState } from 'preact/hooks';
import { USER_ROLES, USER_STATUSES } from '../../api.js';
import { capitalise } from '../../format.js';
import { href, navigate } from '../../router.js';
import { SORTS, type Sort, type View, filtersOf } from './view.js';

/** Search, filters and sort of the users list: each change moves to the view's URL, from the first page. */
export function UsersFilters({ view, admin }: { view: View; admin: boolean }) {
  // The search box: typing shows results after a pause (one history entry per search), Enter at once.
  const [text, setText] = useState(view.search);
  const committed = useRef(view.search);
  const pushedThisEdit = useRef(false);
  useEffect(() => {
    if (view.search !== committed.current) {
      committed.current = view.search;
      setText(view.search);
    }
  }, [view.search]);
  const show = (next: Partial<View>, replace = false) => {
    const merged = { ...view, ...next };
    committed.current = merged.search;
    navigate(href('/users', filtersOf(merged)), { replace, state: { cursors: [] } });
  };
  useEffect(() => {
    const value = text.trim();
    if (value === committed.current) return;
    const timer = setTimeout(() => {
      show({ search: value }, pushedThisEdit.current);
      pushedThisEdit.current = true;
    }, 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the console supports; a form with role=search is the same landmark
    <form
      class="filters"
      role="search"
      aria-label="Users"
      onSubmit={(event) => {
        event.preventDefault();
        show({ search: text.trim() });
      }}
    >
      <div class="field grow">
        <label for="users-search">Search users</label>
        <input
          id="users-search"
          type="search"
          value={text}
          maxLength={100}
          autoComplete="off"
          onInput={(e) => setText(e.currentTarget.value)}
          onFocus={() => (pushedThisEdit.current = false)}
          placeholder="Username, email or name"
        />
      </div>
      <div class="field">
        <label for="users-status">Status</label>
        <select id="users-status" value={view.status} onChange={(e) => show({ status: e.currentTarget.value })}>
          <option value="">All</option>
          {USER_STATUSES.map((s) => (
            <option value={s}>{capitalise(s)}</option>
          ))}
          {admin && <option value="deleted">Deleted</option>}
        </select>
      </div>
      <div class="field">
        <label for="users-role">Role</label>
        <select id="users-role" value={view.role} onChange={(e) => show({ role: e.currentTarget.value })}>
          <option value="">All</option>
          {USER_ROLES.map((r) => (
            <option value={r}>{capitalise(r)}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="users-sort">Sort by</label>
        <select
          id="users-sort"
          value={view.sort}
          onChange={(e) =>
            show({
              sort: e.currentTarget.value as Sort,
              order: e.currentTarget.value === 'created_at' ? 'desc' : 'asc',
            })
          }
        >
          {SORTS.map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="users-order">Order</label>
        <select
          id="users-order"
          value={view.order}
          onChange={(e) => show({ order: e.currentTarget.value as 'asc' | 'desc' })}
        >
          <option value="asc">{view.sort === 'created_at' ? 'Oldest first' : 'A to Z'}</option>
          <option value="desc">{view.sort === 'created_at' ? 'Newest first' : 'Z to A'}</option>
        </select>
      </div>
      <button type="submit">Search</button>
    </form>
  );
}
