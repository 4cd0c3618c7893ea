import { Fragment } from 'preact';
import type { Organization, Role } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert } from '../../components.js';
import { useResource } from '../../hooks.js';
import { ListTable } from '../../lists.js';
import { Link, href } from '../../router.js';

/** Members counted at most: past it the count reads "1000+" (the members list is by cursor, without a total). */
const COUNT_LIMIT = 1000;

/** How many of the organization's members hold each role, walking the members by cursor up to COUNT_LIMIT. */
async function holders(organizationId: string): Promise<{ counts: Map<string, number>; capped: boolean }> {
  const counts = new Map<string, number>();
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await client.organizations.members(organizationId, { limit: 100, ...(cursor && { cursor }) });
    for (const m of page.data) for (const r of m.roles) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    seen += page.data.length;
    cursor = page.pagination.next_cursor ?? undefined;
  } while (cursor && seen < COUNT_LIMIT);
  return { counts, capped: cursor !== undefined };
}

/**
 * The organization roles (defined on the Roles page, the same for every organization) with their permissions and
 * how many of this organization's members hold each; `version` changes when the members do.
 */
export function OrgRoles({
  organization,
  roles,
  version,
}: {
  organization: Organization;
  roles: Role[];
  version: number;
}) {
  const held = useResource(() => holders(organization.id), [organization.id, version]);
  const count = (id: string) => {
    if (!held.data) return '…';
    const n = held.data.counts.get(id) ?? 0;
    return held.data.capped ? `${n}+` : String(n);
  };
  return (
    <section class="card" aria-labelledby="org-roles-title">
      <h2 id="org-roles-title">Roles</h2>
      <p class="muted">
        The organization roles members can hold here, with their permissions (in tokens for this organization as
        org_roles and org_permissions). They are defined for every organization on the{' '}
        <Link to={href('/roles', { scope: 'organization' })}>Roles page</Link>; a SCIM group makes one of its name.
      </p>
      <Alert>{held.error}</Alert>
      <ListTable
        caption="Organization roles"
        columns={['Role', 'Permissions', 'Members holding it']}
        busy={held.loading}
        empty={roles.length === 0 && 'No organization roles yet.'}
      >
        {roles.map((r) => (
          <tr key={r.id}>
            <td>
              <strong>{r.name}</strong>
              {r.description && <div class="muted small">{r.description}</div>}
            </td>
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
            <td>{count(r.id)}</td>
          </tr>
        ))}
      </ListTable>
    </section>
  );
}
