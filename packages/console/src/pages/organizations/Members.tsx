import { useState } from 'preact/hooks';
import type { Organization, OrganizationMember, Role, User } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert, Notice, Time } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';
import { ConfirmOn, Field, ListTable } from '../../lists.js';
import { Link, href } from '../../router.js';
import { RolePicker } from './RolePicker.js';

const PAGE = 50;

/** Finds a user by username or email and adds them with roles (ticked among the organization roles). */
function AddMember({
  organization,
  roleChoices,
  onAdded,
}: {
  organization: Organization;
  roleChoices: Role[];
  onAdded: (m: OrganizationMember) => void;
}) {
  const find = useAction();
  const add = useAction();
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<User[] | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  return (
    <div class="subsection">
      <h3>Add a member</h3>
      {/* biome-ignore lint/a11y/useSemanticElements: as the audit page's filters, a form with role=search is the search landmark */}
      <form
        role="search"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void find.run(async () => setFound((await client.users.list({ search: term.trim(), limit: 5 })).data));
        }}
      >
        <Field id="member-find" label="Find a user by username or email" type="search" value={term} onValue={setTerm} />
        <RolePicker
          id="member-roles"
          legend="Roles to give (optional)"
          roles={roleChoices}
          value={roles}
          onChange={setRoles}
        />
        <button type="submit">Find</button>
      </form>
      <Alert>{find.error || add.error}</Alert>
      {found && found.length === 0 && <p class="muted">No user matches.</p>}
      {found && found.length > 0 && (
        <ul class="plain">
          {found.map((u) => (
            <li key={u.id}>
              {u.username} <span class="muted">{u.email}</span>{' '}
              <button
                type="button"
                disabled={add.busy}
                aria-label={`Add ${u.username}`}
                onClick={() =>
                  add.run(async () => {
                    onAdded(await client.organizations.addMember(organization.id, { user_id: u.id, roles }));
                    setFound(null);
                  })
                }
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The members (search, newest first, more on demand); admins add, change roles and remove. */
export function Members({
  organization,
  admin,
  roleChoices,
  onChanged,
}: {
  organization: Organization;
  admin: boolean;
  roleChoices: Role[];
  /** After a member is added, given other roles or removed. */
  onChanged: () => void;
}) {
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  const list = useResource(
    () => client.organizations.members(organization.id, { limit: PAGE, ...(search && { search }) }),
    [organization.id, search],
  );
  const [more, setMore] = useState<{ data: OrganizationMember[]; cursor: string | null } | null>(null);
  const [removing, setRemoving] = useState<OrganizationMember | null>(null);
  const [editing, setEditing] = useState<{ member: OrganizationMember; roles: string[] } | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const rows = [...(list.data?.data ?? []), ...(more?.data ?? [])];
  const cursor = more ? more.cursor : (list.data?.pagination.next_cursor ?? null);
  const reload = () => {
    setMore(null);
    list.reload();
    onChanged();
  };
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {admin && (
        <AddMember
          organization={organization}
          roleChoices={roleChoices}
          onAdded={(m) => {
            setNotice(`${m.username} added.`);
            reload();
          }}
        />
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: as the audit page's filters, a form with role=search is the search landmark */}
      <form
        role="search"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setMore(null);
          setSearch(term.trim());
        }}
      >
        <Field id="member-search" label="Search members" type="search" value={term} onValue={setTerm} />
        <button type="submit">Search</button>
      </form>
      <Alert>{list.error || action.error}</Alert>
      <Notice>{notice}</Notice>
      {editing && (
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(async () => {
              const saved = await client.organizations.setMemberRoles(
                organization.id,
                editing.member.id,
                editing.roles,
              );
              setEditing(null);
              setNotice(`Roles of ${saved.username} saved.`);
              reload();
            });
          }}
        >
          <RolePicker
            id="member-edit-roles"
            legend={`Roles of ${editing.member.username}`}
            roles={roleChoices}
            value={editing.roles}
            onChange={(roles) => setEditing({ ...editing, roles })}
          />
          <button type="submit" class="primary" disabled={action.busy}>
            Save roles
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      )}
      {list.data && (
        <ListTable
          caption="Members"
          columns={['Username', 'Email', 'Roles', 'Joined']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && (search ? 'No member matches.' : 'No members yet.')}
        >
          {rows.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={href(`/users/${m.id}`)}>{m.username}</Link>
              </td>
              <td>{m.email}</td>
              <td>{m.roles.map((r) => r.name).join(', ') || <span class="muted">None</span>}</td>
              <td>
                <Time value={m.joined_at} dateOnly />
              </td>
              {admin && (
                <td>
                  <div class="actions">
                    <button
                      type="button"
                      aria-label={`Change roles of ${m.username}`}
                      onClick={() => setEditing({ member: m, roles: m.roles.map((r) => r.name) })}
                    >
                      Roles
                    </button>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Remove ${m.username}`}
                      onClick={() => setRemoving(m)}
                    >
                      Remove
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
              const page = await client.organizations.members(organization.id, {
                limit: PAGE,
                cursor,
                ...(search && { search }),
              });
              setMore({ data: [...(more?.data ?? []), ...page.data], cursor: page.pagination.next_cursor });
            })
          }
        >
          Show more members
        </button>
      )}
      <ConfirmOn
        item={removing}
        title={(m) => `Remove ${m.username} from ${organization.name}?`}
        confirm="Remove"
        onClose={() => setRemoving(null)}
        onConfirm={async (m) => {
          await client.organizations.removeMember(organization.id, m.id);
          setNotice(`${m.username} removed.`);
          reload();
        }}
      >
        <p>Their roles here end, and their tokens for this organization stop at the next refresh.</p>
      </ConfirmOn>
    </section>
  );
}
