import { useState } from 'preact/hooks';
import type { IdentityProvider } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle } from '../components.js';
import { ConfirmOn, ListTable } from '../lists.js';
import { useResource } from '../hooks.js';
import { useStore } from '../store.js';
import { PROVIDER_LABELS, ProviderForm } from './identity-providers/ProviderForm.js';

/**
 * Upstream identity providers (Google, Microsoft, GitHub, any OpenID provider): read by staff; added, edited and
 * deleted by admins. Each shows the redirect URI to register at the provider.
 */
export function IdentityProvidersPage() {
  const me = useStore(auth);
  const list = useResource(() => client.identityProviders.list(), []);
  const [editing, setEditing] = useState<IdentityProvider | 'new' | null>(null);
  const [deleting, setDeleting] = useState<IdentityProvider | null>(null);
  const [notice, setNotice] = useState('');
  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const rows = list.data ?? [];
  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Identity providers">Identity providers</PageTitle>
        {admin && editing === null && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New identity provider
          </button>
        )}
      </div>
      <p class="muted">
        People sign in with an account they already have. Register each provider's redirect URI at the provider as its
        callback. Client secrets are never shown again.{admin ? '' : ' Only admins may change them.'}
      </p>
      {editing !== null && (
        <ProviderForm
          provider={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`${saved.display_name} saved. Its redirect URI: ${saved.redirect_uri}`);
            list.reload();
          }}
        />
      )}
      <Alert>{list.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption="Identity providers"
          columns={['Name', 'Type', 'Client ID', 'Redirect URI', 'Enabled', 'Creates users']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && 'No identity providers yet.'}
        >
          {rows.map((p) => (
            <tr key={p.id}>
              <td>{p.display_name}</td>
              <td>
                {PROVIDER_LABELS[p.type]}
                {p.issuer && p.type === 'oidc' && (
                  <div class="muted small">
                    <code>{p.issuer}</code>
                  </div>
                )}
              </td>
              <td>
                <code>{p.client_id}</code>
              </td>
              <td>
                <code>{p.redirect_uri}</code>
              </td>
              <td>{p.enabled ? 'Yes' : 'No'}</td>
              <td>{p.auto_create ? 'Yes' : 'No'}</td>
              {admin && (
                <td>
                  <div class="actions">
                    <button type="button" aria-label={`Edit ${p.display_name}`} onClick={() => setEditing(p)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete ${p.display_name}`}
                      onClick={() => setDeleting(p)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      <ConfirmOn
        item={deleting}
        title={(p) => `Delete ${p.display_name}?`}
        confirm="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async (p) => {
          await client.identityProviders.delete(p.id);
          setNotice(`${p.display_name} deleted: the accounts linked at it are unlinked.`);
          list.reload();
        }}
      >
        <p>Its button goes, and every account linked at it is unlinked. This cannot be undone.</p>
      </ConfirmOn>
    </div>
  );
}
