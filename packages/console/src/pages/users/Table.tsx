import type { User } from '../../api.js';
import { StatusBadge, Time } from '../../components.js';
import { capitalise, fullName } from '../../format.js';
import { Link, href } from '../../router.js';
import type { Sort, View } from './view.js';

/** One page of users, each row to select for the bulk actions (those the viewer may change). */
export function UsersTable(props: {
  users: User[];
  view: View;
  busy: boolean;
  /** The page's read answered (an empty page then says so). */
  listed: boolean;
  deletedView: boolean;
  admin: boolean;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
}) {
  const { users, view, busy, deletedView, admin, selected, onSelect } = props;
  // Moderators may not change an admin's status: those rows offer no selection.
  const selectable = (u: User) => (admin || u.role !== 'admin') && (!deletedView || admin);
  const selectableIds = users.filter(selectable).map((u) => u.id);
  const allSelected = selectableIds.length > 0 && selectableIds.every((id) => selected.has(id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const sortIs = (column: Sort) =>
    view.sort === column ? (view.order === 'asc' ? 'ascending' : 'descending') : undefined;

  return (
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
                onChange={() => onSelect(allSelected ? new Set() : new Set(selectableIds))}
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
          {!busy && props.listed && users.length === 0 && (
            <tr>
              <td colSpan={8} class="empty-row">
                No users match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
