import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { Role, RoleList, RoleScope } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { ConfirmOn, ListTable } from '../lists.js';
import { href, navigate, useLocation } from '../router.js';
import { useStore } from '../store.js';
import { RoleForm } from './roles/RoleForm.js';

type Filter = RoleScope | 'all';
const FILTERS: Record<Filter, string> = { all: 'All roles', global: 'Global', organization: 'Organization' };

/**
 * The roles the team defines for its own applications: read by staff; created, edited and deleted by admins. The
 * scope filter lives in the URL (?scope=). They never grant access to Usher's own API (admin, moderator, user do).
 */
export function RolesPage() {
  const me = useStore(auth);
  const location = useLocation();
  const raw = location.query.get('scope');
  const filter: Filter = raw === 'global' || raw === 'organization' ? raw : 'all';
  const list = useResource(
    () => client.roles.list({ limit: 100, ...(filter !== 'all' && { scope: filter }) }),
    [filter],
  );
  const [more, setMore] = useState<RoleList | null>(null);
  const action = useAction();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const [notice, setNotice] = useState('');
  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const rows = [...(list.data?.data ?? []), ...(more?.data ?? [])];
  const cursor = more ? more.pagination.next_cursor : (list.data?.pagination.next_cursor ?? null);
  const reload = () => {
    setMore(null);
    list.reload();
  };
  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Roles">Roles</PageTitle>
        {admin && editing === null && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New role
          </button>
        )}
      </div>
      <p class="muted">
        Roles and permissions for your applications: global roles are given to users, organization roles to an
        organization's members. They reach tokens with the roles scope and never grant access to Usher's own API.
        {admin ? '' : ' Only admins may change roles.'}
      </p>
      {editing !== null && (
        <RoleForm
          role={editing === 'new' ? null : editing}
          scope={filter === 'organization' ? 'organization' : 'global'}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Role ${saved.name} saved.`);
            reload();
          }}
        />
      )}
      <div class="filters">
        <div class="field">
          <label for="role-filter">Scope</label>
          <select
            id="role-filter"
            value={filter}
            onChange={(e) => {
              const scope = e.currentTarget.value as Filter;
              setMore(null);
              navigate(href('/roles', { scope: scope === 'all' ? undefined : scope }), { replace: true });
            }}
          >
            {(Object.keys(FILTERS) as Filter[]).map((f) => (
              <option key={f} value={f}>
                {FILTERS[f]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Alert>{list.error || action.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption="Roles"
          columns={['Name', 'Scope', 'Description', 'Permissions']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && 'No roles yet.'}
        >
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <strong>{r.name}</strong>
              </td>
              <td>{r.scope === 'global' ? 'Global' : 'Organization'}</td>
              <td>{r.description}</td>
              <td>
                {r.permissions.length === 0 ? (
                  <span class="muted">None</span>
                ) : (
                  r.permissions.map((p, i) => (
                    <Fragment key={p}>
                      {i > 0 && ' '}
                      <code>{p}</code>
                    </Fragment>
                  ))
                )}
              </td>
              {admin && (
                <td>
                  <div class="actions">
                    <button type="button" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                      Edit
                    </button>
                    <button type="button" class="danger" aria-label={`Delete ${r.name}`} onClick={() => setDeleting(r)}>
                      Delete
                    </button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      {cursor && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              const page = await client.roles.list({
                limit: 100,
                cursor,
                ...(filter !== 'all' && { scope: filter }),
              });
              setMore({ data: [...(more?.data ?? []), ...page.data], pagination: page.pagination });
            })
          }
        >
          Show more roles
        </button>
      )}
      <ConfirmOn
        item={deleting}
        title={(r) => `Delete the role ${r.name}?`}
        confirm="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async (r) => {
          await client.roles.delete(r.id);
          setNotice(`Role ${r.name} deleted.`);
          reload();
        }}
      >
        <p>Everyone holding it loses it, with its permissions, from their next token on. This cannot be undone.</p>
      </ConfirmOn>
    </div>
  );
}
