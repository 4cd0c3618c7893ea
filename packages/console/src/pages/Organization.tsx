import { useState } from 'preact/hooks';
import type { Organization, Role } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Time } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { ConfirmOn } from '../lists.js';
import { Link, href, navigate } from '../router.js';
import { useStore } from '../store.js';
import { Details } from './organizations/Details.js';
import { Invitations } from './organizations/Invitations.js';
import { Members } from './organizations/Members.js';
import { OrgRoles } from './organizations/OrgRoles.js';
import { ScimTokens } from './organizations/ScimTokens.js';
import { Sso } from './organizations/Sso.js';

/** Every organization-scope role, by name (the Roles page's, walked by cursor). */
async function organizationRoles(): Promise<Role[]> {
  const roles: Role[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.roles.list({ scope: 'organization', limit: 100, ...(cursor && { cursor }) });
    roles.push(...page.data);
    cursor = page.pagination.next_cursor ?? undefined;
  } while (cursor);
  return roles;
}

/**
 * One organization: its details and domains, its members, invitations, roles, SCIM provisioning and single sign-on.
 * Staff read; admins change.
 */
export function OrganizationPage({ id }: { id: string }) {
  const me = useStore(auth);
  const loaded = useResource(() => client.organizations.get(id), [id]);
  const roles = useResource(organizationRoles, []);
  // Bumped when members change, so the Roles section counts again.
  const [membersVersion, setMembersVersion] = useState(0);
  const [deleting, setDeleting] = useState<Organization | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const org = loaded.data;
  return (
    <div class="page">
      <p>
        <Link to={href('/organizations')}>← Organizations</Link>
      </p>
      <div class="page-head">
        <PageTitle title={org ? org.name : 'Organization'}>{org ? org.name : 'Organization'}</PageTitle>
        {admin && org && (
          <button type="button" class="danger" onClick={() => setDeleting(org)}>
            Delete organization
          </button>
        )}
      </div>
      <Alert>{loaded.error || roles.error || action.error}</Alert>
      <Notice>{notice}</Notice>
      {org && (
        <>
          <p class="muted">
            Slug <code>{org.slug}</code> · id <code>{org.id}</code> · created <Time value={org.created_at} />
          </p>
          <Details
            organization={org}
            admin={admin}
            onSaved={(saved) => {
              loaded.set(saved);
              setNotice(`${saved.name} saved.`);
            }}
          />
          <Members
            organization={org}
            admin={admin}
            roleChoices={roles.data ?? []}
            onChanged={() => setMembersVersion((n) => n + 1)}
          />
          <Invitations organization={org} admin={admin} roleChoices={roles.data ?? []} />
          <OrgRoles organization={org} roles={roles.data ?? []} version={membersVersion} />
          <ScimTokens organization={org} admin={admin} />
          <Sso organization={org} admin={admin} />
        </>
      )}
      <ConfirmOn
        item={deleting}
        title={(o) => `Delete ${o.name}?`}
        confirm="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async (o) => {
          await client.organizations.delete(o.id);
          navigate(href('/organizations'));
        }}
      >
        <p>Its memberships, domains and invitations go with it. This cannot be undone.</p>
      </ConfirmOn>
    </div>
  );
}
