import { useState } from 'preact/hooks';
import { type Application, client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Time } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { ConfirmOn, ListTable } from '../lists.js';
import { useStore } from '../store.js';
import { ClientSecret } from './applications/ClientSecret.js';
import { EditUris } from './applications/EditUris.js';
import { NewApplication } from './applications/NewApplication.js';

/** What the secret card shows: a new application's secret, or a rotated one. */
interface Shown {
  name: string;
  clientId: string;
  secret: string | null;
  rotated: boolean;
}

const PAGE = 100;
const confidential = (a: Application) => a.type === 'web' || a.type === 'machine';

/**
 * The provider's clients. Everyone who may see the page (admins, moderators) reads the list; admins create (the
 * secret shown once), edit redirect URIs, rotate secrets and delete.
 */
export function ApplicationsPage() {
  const me = useStore(auth);
  const apps = useResource(() => client.applications.list({ limit: PAGE }), []);
  const [more, setMore] = useState<{ data: Application[]; cursor: string | null } | null>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [editing, setEditing] = useState<Application | null>(null);
  const [deleting, setDeleting] = useState<Application | null>(null);
  const [rotating, setRotating] = useState<Application | null>(null);
  const [notice, setNotice] = useState('');
  const loadMore = useAction();

  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const rows = [...(apps.data?.data ?? []), ...(more?.data ?? [])];
  const cursor = more ? more.cursor : (apps.data?.pagination.next_cursor ?? null);
  const reload = () => {
    setMore(null);
    apps.reload();
  };

  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Applications">Applications</PageTitle>
        {admin && !creating && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setShown(null);
              setCreating(true);
            }}
          >
            New application
          </button>
        )}
      </div>
      <p class="muted">
        The OpenID Connect clients that sign people in with Usher. Web and machine applications have a client secret,
        shown once when it is made.{admin ? '' : ' Only admins may change them.'}
      </p>

      {creating && (
        <NewApplication
          onCancel={() => setCreating(false)}
          onCreated={(a) => {
            setCreating(false);
            setShown({ name: a.name, clientId: a.client_id, secret: a.client_secret, rotated: false });
            reload();
          }}
        />
      )}
      {shown && <ClientSecret {...shown} onDone={() => setShown(null)} />}

      <Alert>{apps.error}</Alert>
      <Notice>{notice}</Notice>
      {apps.data && (
        <ListTable
          caption="Applications"
          columns={['Name', 'Type', 'Client ID', 'Redirect URIs', 'Scopes', 'First-party', 'Created']}
          actions={admin}
          busy={apps.loading}
          empty={rows.length === 0 && 'No applications yet.'}
        >
          {rows.map((a) => (
            <tr key={a.id}>
              <td>{a.name}</td>
              <td>{a.type}</td>
              <td>
                <code>{a.client_id}</code>
              </td>
              <td>
                {a.redirect_uris.length === 0 ? (
                  <span class="muted">None</span>
                ) : (
                  <ul class="plain">
                    {a.redirect_uris.map((uri) => (
                      <li key={uri}>
                        <code>{uri}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{a.scopes.join(' ') || <span class="muted">None</span>}</td>
              <td>{a.first_party ? 'Yes' : 'No'}</td>
              <td>
                <Time value={a.created_at} />
              </td>
              {admin && (
                <td>
                  <div class="actions">
                    {a.type !== 'machine' && (
                      <button type="button" aria-label={`Edit URIs of ${a.name}`} onClick={() => setEditing(a)}>
                        Edit URIs
                      </button>
                    )}
                    {confidential(a) && (
                      <button type="button" aria-label={`Rotate secret of ${a.name}`} onClick={() => setRotating(a)}>
                        Rotate secret
                      </button>
                    )}
                    <button type="button" class="danger" aria-label={`Delete ${a.name}`} onClick={() => setDeleting(a)}>
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
          disabled={loadMore.busy}
          onClick={() =>
            loadMore.run(async () => {
              const page = await client.applications.list({ limit: PAGE, cursor });
              setMore({ data: [...(more?.data ?? []), ...page.data], cursor: page.pagination.next_cursor });
            })
          }
        >
          Show more
        </button>
      )}
      <Alert>{loadMore.error}</Alert>

      <EditUris
        application={editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          setNotice(`Redirect URIs of ${saved.name} saved.`);
          reload();
        }}
      />
      <ConfirmOn
        item={rotating}
        title={(a) => `Rotate the secret of ${a.name}?`}
        confirm="Rotate secret"
        onClose={() => setRotating(null)}
        onConfirm={async (a) => {
          const rotated = await client.applications.rotateSecret(a.id);
          setShown({ name: rotated.name, clientId: rotated.client_id, secret: rotated.client_secret, rotated: true });
          reload();
        }}
      >
        <p>A new secret is made and shown once; the current one stops working at once.</p>
      </ConfirmOn>
      <ConfirmOn
        item={deleting}
        title={(a) => `Delete ${a.name}?`}
        confirm="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async (a) => {
          await client.applications.delete(a.id);
          setNotice(`Application ${a.name} deleted: its client ID and secret no longer work.`);
          reload();
        }}
      >
        <p>
          Its client ID and secret stop working at once, and people can no longer sign in to it. This cannot be undone.
        </p>
      </ConfirmOn>
    </div>
  );
}
