import { useEffect, useState } from 'preact/hooks';
import type { ListUsersQuery } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Pager } from '../components.js';
import { useResource } from '../hooks.js';
import { pagedFrom, pagerActions } from '../paging.js';
import { useLocation } from '../router.js';
import { useStore } from '../store.js';
import { BulkActions } from './users/Bulk.js';
import { UsersFilters } from './users/Filters.js';
import { NewUser } from './users/NewUser.js';
import { UsersTable } from './users/Table.js';
import { PAGE_SIZE, filtersOf, viewFrom } from './users/view.js';

/** The users list: search, filters, sort and page in the URL; bulk actions on the selected rows; a new user. */
export function UsersPage() {
  const me = useStore(auth);
  const admin = me.state === 'signed-in' && me.user.role === 'admin';
  const location = useLocation();
  const view = viewFrom(location.query, admin);
  const paged = pagedFrom(location.query);
  const key = location.query.toString();

  // One list call per view: nothing is fetched per row.
  const read = useResource(async () => {
    const page = await client.users.list({
      limit: PAGE_SIZE,
      sort: view.sort,
      order: view.order,
      ...(view.status ? { status: view.status as ListUsersQuery['status'] } : {}),
      ...(view.role ? { role: view.role as ListUsersQuery['role'] } : {}),
      ...(view.search ? { search: view.search } : {}),
      ...(paged.cursor ? { cursor: paged.cursor } : {}),
    });
    return {
      users: page.data,
      total: page.pagination.total,
      pages: page.pagination.pages,
      next: page.pagination.next_cursor,
      deleted: view.status === 'deleted',
    };
  }, [key]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);

  // A new view starts with nothing selected.
  useEffect(() => {
    setSelected(new Set());
  }, [key]);

  // Busy from the moment the URL names another view, so nothing on screen claims to show it before it came.
  const busy = read.loading;
  // A failed read shows no list: the one before was of another view.
  const list = read.error ? undefined : read.data;
  const pager = pagerActions('/users', filtersOf(view), paged, location.state, list?.next);
  const users = list?.users ?? [];
  const deletedView = list?.deleted ?? false;

  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Users">Users</PageTitle>
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          New user
        </button>
      </div>

      <UsersFilters view={view} admin={admin} />

      <Alert>{read.error}</Alert>
      <Notice>
        {busy
          ? 'Loading users…'
          : list
            ? `${list.total.toLocaleString()} ${list.total === 1 ? 'user' : 'users'}${view.search || view.status || view.role ? ' match' : ''}.`
            : ''}
      </Notice>

      <BulkActions
        selected={selected}
        users={users}
        deletedView={deletedView}
        admin={admin}
        onDone={() => {
          setSelected(new Set());
          read.reload();
        }}
      />

      <UsersTable
        users={users}
        view={view}
        busy={busy}
        listed={list !== undefined}
        deletedView={deletedView}
        admin={admin}
        selected={selected}
        onSelect={setSelected}
      />

      <Pager
        label="Users pages"
        page={paged.page}
        pages={list?.pages}
        hasNext={!!list?.next}
        canPrevious={pager.canPrevious}
        onPrevious={pager.previous}
        onNext={pager.next}
        onFirst={pager.first}
        busy={busy}
      />

      <NewUser open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
