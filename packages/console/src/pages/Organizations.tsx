import { useState } from 'preact/hooks';
import type { Organization } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Time } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { Field, FormActions, ListTable } from '../lists.js';
import { Link, href, navigate, useLocation } from '../router.js';
import { useStore } from '../store.js';

const PAGE = 50;

/** A new organization: its name, and a slug (derived from the name when left empty). */
function NewOrganization({ onCancel }: { onCancel: () => void }) {
  const action = useAction();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const made = await client.organizations.create({ name: name.trim(), ...(slug.trim() && { slug: slug.trim() }) });
      navigate(href(`/organizations/${made.id}`));
    });
  };
  return (
    <section class="card" aria-labelledby="new-org-title">
      <h2 id="new-org-title">New organization</h2>
      <form onSubmit={submit} class="grid-form">
        <Field id="org-name" label="Name" value={name} onValue={setName} required maxLength={100} autoFocus />
        <Field
          id="org-slug"
          label="Slug (optional)"
          value={slug}
          onValue={setSlug}
          maxLength={64}
          pattern="[a-z0-9][a-z0-9\-]*[a-z0-9]"
          aria-describedby="org-slug-hint"
        >
          <span id="org-slug-hint" class="hint">
            Lower-case letters, digits and hyphens; made from the name when empty
          </span>
        </Field>
        <Alert>{action.error}</Alert>
        <FormActions submit="Create organization" busy={action.busy} onCancel={onCancel} />
      </form>
    </section>
  );
}

/** Organizations: searched and listed by staff; admins create them (each opens on its own page). */
export function OrganizationsPage() {
  const me = useStore(auth);
  const location = useLocation();
  const search = location.query.get('search') ?? '';
  const [term, setTerm] = useState(search);
  const list = useResource(() => client.organizations.list({ limit: PAGE, ...(search && { search }) }), [search]);
  const [more, setMore] = useState<{ data: Organization[]; cursor: string | null } | null>(null);
  const [creating, setCreating] = useState(false);
  const loadMore = useAction();
  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const rows = [...(list.data?.data ?? []), ...(more?.data ?? [])];
  const cursor = more ? more.cursor : (list.data?.pagination.next_cursor ?? null);
  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Organizations">Organizations</PageTitle>
        {admin && !creating && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New organization
          </button>
        )}
      </div>
      <p class="muted">
        Your customers' companies: their members and roles, domains and invitations.
        {admin ? '' : ' Only admins may change them.'}
      </p>
      {creating && <NewOrganization onCancel={() => setCreating(false)} />}
      {/* biome-ignore lint/a11y/useSemanticElements: as the audit page's filters, a form with role=search is the search landmark */}
      <form
        role="search"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setMore(null);
          navigate(href('/organizations', { search: term.trim() }));
        }}
      >
        <Field id="org-search" label="Search by name or slug" type="search" value={term} onValue={setTerm} />
        <button type="submit">Search</button>
      </form>
      <Alert>{list.error}</Alert>
      <Notice>{''}</Notice>
      {list.data && (
        <ListTable
          caption="Organizations"
          columns={['Name', 'Slug', 'Domains', 'Created']}
          busy={list.loading}
          empty={rows.length === 0 && (search ? 'No organization matches.' : 'No organizations yet.')}
        >
          {rows.map((o) => (
            <tr key={o.id}>
              <td>
                <Link to={href(`/organizations/${o.id}`)}>{o.name}</Link>
              </td>
              <td>
                <code>{o.slug}</code>
              </td>
              <td>{o.domains.join(', ') || <span class="muted">None</span>}</td>
              <td>
                <Time value={o.created_at} />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {cursor && (
        <button
          type="button"
          disabled={loadMore.busy}
          onClick={() =>
            loadMore.run(async () => {
              const page = await client.organizations.list({ limit: PAGE, cursor, ...(search && { search }) });
              setMore({ data: [...(more?.data ?? []), ...page.data], cursor: page.pagination.next_cursor });
            })
          }
        >
          Show more
        </button>
      )}
      <Alert>{loadMore.error}</Alert>
    </div>
  );
}
