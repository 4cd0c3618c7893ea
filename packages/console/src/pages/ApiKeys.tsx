import { useState } from 'preact/hooks';
import type { CreatedApiKey } from 'user-management-api-client';
import { client, type ApiKey } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Time } from '../components.js';
import { capitalise, shortId } from '../format.js';
import { useResource } from '../hooks.js';
import { ConfirmOn, ListTable } from '../lists.js';
import { Link, href } from '../router.js';
import { useStore } from '../store.js';
import { NewKey, Secret } from './api-keys/NewKey.js';

function stateOf(k: ApiKey): 'revoked' | 'expired' | 'active' {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const me = useStore(auth);
  const keys = useResource(() => client.apiKeys.list(), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState('');

  if (me.state !== 'signed-in') return null;
  const sorted = [...(keys.data ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));

  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="API keys">API keys</PageTitle>
        {!creating && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            New key
          </button>
        )}
      </div>
      <p class="muted">
        Keys act through their own role (never above their creator's) with the X-API-Key header. The secret is shown
        once, when the key is made.
      </p>

      {creating && (
        <NewKey
          myRole={me.user.role}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
      {created && <Secret created={created} onDone={() => setCreated(null)} />}

      <Alert>{keys.error}</Alert>
      <Notice>{notice}</Notice>
      {keys.data && (
        <ListTable
          caption="API keys"
          columns={['Name', 'Prefix', 'Role', 'Created by', 'Created', 'Expires', 'Last used', 'State']}
          actions
          empty={sorted.length === 0 && 'No API keys yet.'}
        >
          {sorted.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{capitalise(k.role)}</td>
              <td>
                <Link to={href(`/users/${k.created_by}`)} title={k.created_by}>
                  {k.created_by === me.user.id ? 'You' : shortId(k.created_by)}
                </Link>
              </td>
              <td>
                <Time value={k.created_at} />
              </td>
              <td>{k.expires_at ? <Time value={k.expires_at} /> : 'Never'}</td>
              <td>
                <Time value={k.last_used_at} />
              </td>
              <td>
                {stateOf(k) === 'revoked' ? (
                  <>
                    Revoked <Time value={k.revoked_at} />
                  </>
                ) : (
                  capitalise(stateOf(k))
                )}
              </td>
              <td>
                {stateOf(k) !== 'revoked' && (
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Revoke key ${k.name}`}
                    onClick={() => setRevoking(k)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}

      <ConfirmOn
        item={revoking}
        title={(k) => `Revoke ${k.name}?`}
        confirm="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={async (k) => {
          await client.apiKeys.revoke(k.id);
          setNotice(`Key ${k.name} revoked: it is refused from now on.`);
          keys.reload();
        }}
      >
        <p>Every request with this key is refused from now on. This cannot be undone.</p>
      </ConfirmOn>
    </div>
  );
}
