import { useEffect, useRef, useState } from 'preact/hooks';
import type { ListUsersQuery } from 'user-management-api-client';
import { ROLES, STATUSES, UsherApiError, client, describe, type User } from '../api.js';
import { auth } from '../auth.js';
import { Alert, ConfirmDialog, Dialog, Notice, PageTitle, Pager, StatusBadge, Time } from '../components.js';
import { capitalise, fullName, sleep } from '../format.js';
import { pagedFrom, pagerActions } from '../paging.js';
import { Link, href, navigate, useLocation } from '../router.js';
import { useStore } from '../store.js';

const PAGE_SIZE = 20;
const SORTS = [
  ['created_at', 'Created'],
  ['username', 'Username'],
  ['email', 'Email'],
] as const;
type Sort = (typeof SORTS)[number][0];

/** The list's view, all of it in the query string. */
interface View {
  search: string;
  status: string;
  role: string;
  sort: Sort;
  order: 'asc' | 'desc';
}

function viewFrom(query: URLSearchParams, admin: boolean): View {
  const status = query.get('status') ?? '';
  const role = query.get('role') ?? '';
  const sort = query.get('sort') ?? '';
  return {
    search: (query.get('search') ?? '').slice(0, 100),
    status: (STATUSES as readonly string[]).includes(status) || (admin && status === 'deleted') ? status : '',
    role: (ROLES as readonly string[]).includes(role) ? role : '',
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
const filtersOf = (v: View): Record<string, string | undefined> => ({
  search: v.search || undefined,
  status: v.status || undefined,
  role: v.role || undefined,
  sort: v.sort === 'created_at' ? undefined : v.sort,
  order: v.order === (v.sort === 'created_at' ? 'desc' : 'asc') ? undefined : v.order,
});

/** Runs `action` on each id in turn; a 429 waits for the window to pass and tries again. */
async function each(
  ids: string[],
  action: (id: string) => Promise<unknown>,
): Promise<{ done: number; failed: string[] }> {
  let done = 0;
  const failed: string[] = [];
  for (const id of ids) {
    for (let attempt = 0; ; attempt++) {
      try {
        await action(id);
        done++;
        break;
      } catch (error) {
        if (error instanceof UsherApiError && error.status === 429 && attempt < 3) {
          await sleep(Math.min(5, Number(error.details.retry_after) || 1) * 1000);
          continue;
        }
        failed.push(`${id}: ${describe(error)}`);
        break;
      }
    }
  }
  return { done, failed };
}

export function UsersPage() {
  const me = useStore(auth);
  const admin = me.state === 'signed-in' && me.user.role === 'admin';
  const location = useLocation();
  const view = viewFrom(location.query, admin);
  const paged = pagedFrom(location.query);
  const key = location.query.toString();

  const [list, setList] = useState<{
    key: string;
    users: User[];
    total: number;
    pages: number;
    next: string | null;
    deleted: boolean;
  } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [reloads, setReloads] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState('');
  const [bulkError, setBulkError] = useState('');
  const [bulkStatus, setBulkStatus] = useState('active');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [creating, setCreating] = useState(false);

  // One list call per view: nothing is fetched per row.
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError('');
    client.users
      .list({
        limit: PAGE_SIZE,
        sort: view.sort,
        order: view.order,
        ...(view.status ? { status: view.status as ListUsersQuery['status'] } : {}),
        ...(view.role ? { role: view.role as ListUsersQuery['role'] } : {}),
        ...(view.search ? { search: view.search } : {}),
        ...(paged.cursor ? { cursor: paged.cursor } : {}),
      })
      .then((page) => {
        if (!live) return;
        setList({
          key,
          users: page.data,
          total: page.pagination.total,
          pages: page.pagination.pages,
          next: page.pagination.next_cursor,
          deleted: view.status === 'deleted',
        });
      })
      .catch((e: unknown) => {
        if (!live) return;
        setList(null);
        setError(describe(e));
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloads]);

  // A new view starts with nothing selected.
  useEffect(() => {
    setSelected(new Set());
  }, [key]);

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

  // Busy from the moment the URL names another view, so nothing on screen claims to show it before it came.
  const busy = loading || (list !== null && list.key !== key);
  const pager = pagerActions('/users', filtersOf(view), paged, location.state, list?.next);
  const users = list?.users ?? [];
  const deletedView = list?.deleted ?? false;
  // Moderators may not change an admin's status: those rows offer no selection.
  const selectable = (u: User) => (admin || u.role !== 'admin') && (!deletedView || admin);
  const selectableIds = users.filter(selectable).map((u) => u.id);
  const allSelected = selectableIds.length > 0 && selectableIds.every((id) => selected.has(id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const nameOf = (id: string) => users.find((u) => u.id === id)?.username ?? id;
  const report = (verb: string, result: { done: number; failed: string[] }) => {
    setNotice(`${verb} ${result.done} ${result.done === 1 ? 'user' : 'users'}.`);
    setBulkError(
      result.failed.length === 0
        ? ''
        : `${result.failed.length} failed: ${result.failed.map((f) => f.replace(/^[^:]+/, nameOf)).join(' ')}`,
    );
    setSelected(new Set());
    setReloads((n) => n + 1);
  };
  const applyStatus = async (event: Event) => {
    event.preventDefault();
    const ids = [...selected];
    setNotice(`Changing ${ids.length} users…`);
    setBulkError('');
    report(
      `Set to ${bulkStatus}:`,
      await each(ids, (id) => client.users.patch(id, { status: bulkStatus as 'active' })),
    );
  };
  const restoreSelected = async () => {
    const ids = [...selected];
    setNotice(`Restoring ${ids.length} users…`);
    setBulkError('');
    report('Restored', await each(ids, (id) => client.users.restore(id)));
  };

  const sortIs = (column: Sort) =>
    view.sort === column ? (view.order === 'asc' ? 'ascending' : 'descending') : undefined;

  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Users">Users</PageTitle>
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          New user
        </button>
      </div>

      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the console supports; a form with role=search is the same landmark */}
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
            {STATUSES.map((s) => (
              <option value={s}>{capitalise(s)}</option>
            ))}
            {admin && <option value="deleted">Deleted</option>}
          </select>
        </div>
        <div class="field">
          <label for="users-role">Role</label>
          <select id="users-role" value={view.role} onChange={(e) => show({ role: e.currentTarget.value })}>
            <option value="">All</option>
            {ROLES.map((r) => (
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

      <Alert>{error}</Alert>
      <Notice>
        {busy
          ? 'Loading users…'
          : list
            ? `${list.total.toLocaleString()} ${list.total === 1 ? 'user' : 'users'}${view.search || view.status || view.role ? ' match' : ''}.`
            : ''}
      </Notice>

      {selected.size > 0 && (
        <form class="bulk" aria-label="Selected users" onSubmit={applyStatus}>
          <span class="bulk-count">{selected.size} selected</span>
          {!deletedView && (
            <>
              <div class="field inline">
                <label for="bulk-status">Set selected users to</label>
                <select id="bulk-status" value={bulkStatus} onChange={(e) => setBulkStatus(e.currentTarget.value)}>
                  {STATUSES.map((s) => (
                    <option value={s}>{capitalise(s)}</option>
                  ))}
                </select>
              </div>
              <button type="submit">Apply</button>
              {admin && (
                <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
                  Delete selected
                </button>
              )}
            </>
          )}
          {deletedView && admin && (
            <button type="button" onClick={restoreSelected}>
              Restore selected
            </button>
          )}
        </form>
      )}
      <Notice>{notice}</Notice>
      <Alert>{bulkError}</Alert>

      <div class="table-wrap">
        <table class={busy ? 'loading' : ''} aria-busy={busy}>
          <caption class="visually-hidden">{deletedView ? 'Deleted users' : 'Users'}</caption>
          <thead>
            <tr>
              <th scope="col" class="check">
                <input
                  type="checkbox"
                  aria-label="Select all users on this page"
                  checked={allSelected}
                  disabled={selectableIds.length === 0}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(selectableIds))}
                />
              </th>
              <th scope="col" aria-sort={sortIs('username')}>
                Username
              </th>
              <th scope="col" aria-sort={sortIs('email')}>
                Email
              </th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col" aria-sort={sortIs('created_at')}>
                Created
              </th>
              <th scope="col">Last login</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} class={selected.has(u.id) ? 'selected' : ''}>
                <td class="check">
                  {selectable(u) && (
                    <input
                      type="checkbox"
                      aria-label={`Select ${u.username}`}
                      checked={selected.has(u.id)}
                      onChange={() => toggle(u.id)}
                    />
                  )}
                </td>
                <td>
                  <Link to={href(`/users/${u.id}`)} state={deletedView ? { user: u, deleted: true } : undefined}>
                    {u.username}
                  </Link>
                </td>
                <td>{u.email}</td>
                <td>{fullName(u)}</td>
                <td>{capitalise(u.role)}</td>
                <td>
                  <StatusBadge status={u.status} deleted={deletedView} />
                </td>
                <td>
                  <Time value={u.created_at} />
                </td>
                <td>
                  <Time value={u.last_login} />
                </td>
              </tr>
            ))}
            {!busy && list && users.length === 0 && (
              <tr>
                <td colSpan={8} class="empty-row">
                  No users match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

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

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${selected.size} ${selected.size === 1 ? 'user' : 'users'}?`}
        confirm="Delete"
        danger
        onClose={() => setConfirmDelete(false)}
        onConfirm={async () => {
          const ids = [...selected];
          setBulkError('');
          report('Deleted', await each(ids, (id) => client.users.delete(id)));
        }}
      >
        <p>
          {[...selected].map(nameOf).join(', ')} will be deleted: they can no longer sign in, and their sessions end. An
          admin can restore them from Users, Status: Deleted.
        </p>
      </ConfirmDialog>

      <NewUser open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function NewUser({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    if (open) setError('');
  }, [open]);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      const user = await client.users.create({
        username: String(form.get('username')).trim(),
        email: String(form.get('email')).trim(),
        password: String(form.get('password')),
      });
      onClose();
      navigate(href(`/users/${user.id}`));
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="New user" onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <div class="field">
          <label for="new-username">Username</label>
          <input id="new-username" name="username" required minLength={3} maxLength={50} autoComplete="off" />
        </div>
        <div class="field">
          <label for="new-email">Email</label>
          <input id="new-email" name="email" type="email" required maxLength={255} autoComplete="off" />
        </div>
        <div class="field">
          <label for="new-password">Password</label>
          <input
            id="new-password"
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={128}
            autoComplete="new-password"
            aria-describedby="new-password-hint"
          />
          <span id="new-password-hint" class="hint">
            8 or more characters with a letter and a digit; not an easily guessed one.
          </span>
        </div>
        <Alert>{error}</Alert>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Create
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
