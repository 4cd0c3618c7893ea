import { useEffect, useRef, useState } from 'preact/hooks';
import type { CreatedApiKey } from 'user-management-api-client';
import { ROLES, client, describe, type ApiKey, type Role } from '../api.js';
import { auth } from '../auth.js';
import { Alert, ConfirmDialog, Notice, PageTitle, Time } from '../components.js';
import { capitalise, shortId } from '../format.js';
import { Link, href } from '../router.js';
import { useStore } from '../store.js';

function stateOf(k: ApiKey): 'revoked' | 'expired' | 'active' {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const me = useStore(auth);
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState('');
  const [reloads, setReloads] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    let live = true;
    client.apiKeys
      .list()
      .then((all) => live && setKeys(all))
      .catch((e: unknown) => live && setError(describe(e)));
    return () => {
      live = false;
    };
  }, [reloads]);

  if (me.state !== 'signed-in') return null;
  const sorted = [...(keys ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));

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
            setReloads((n) => n + 1);
          }}
        />
      )}
      {created && <Secret created={created} onDone={() => setCreated(null)} />}

      <Alert>{error}</Alert>
      <Notice>{notice}</Notice>
      {keys && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
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
              {sorted.length === 0 && (
                <tr>
                  <td colSpan={9} class="empty-row">
                    No API keys yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'key'}?`}
        confirm="Revoke"
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          try {
            await client.apiKeys.revoke(revoking.id);
          } catch (e) {
            throw new Error(describe(e));
          }
          setNotice(`Key ${revoking.name} revoked: it is refused from now on.`);
          setReloads((n) => n + 1);
        }}
      >
        <p>Every request with this key is refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function NewKey({
  myRole,
  onCancel,
  onCreated,
}: {
  myRole: Role;
  onCancel: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  // A key never outranks its maker.
  const rank = { user: 0, moderator: 1, admin: 2 } as const;
  const roles = ROLES.filter((r) => rank[r] <= rank[myRole]);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const expires = String(form.get('expires') ?? '');
    setBusy(true);
    setError('');
    try {
      const key = await client.apiKeys.create({
        name: String(form.get('name')).trim(),
        role: String(form.get('role')) as Role,
        // The end of the chosen day, in the browser's time zone.
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      });
      onCreated(key);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="new-key-title">
      <h2 id="new-key-title">New key</h2>
      <form onSubmit={submit} class="grid-form">
        <div class="field">
          <label for="key-name">Name</label>
          <input
            ref={first}
            id="key-name"
            name="name"
            required
            maxLength={100}
            autoComplete="off"
            aria-describedby="key-name-hint"
          />
          <span id="key-name-hint" class="hint">
            What uses it, e.g. backoffice
          </span>
        </div>
        <div class="field">
          <label for="key-role">Role</label>
          <select id="key-role" name="role" defaultValue={myRole}>
            {roles.map((r) => (
              <option value={r}>{capitalise(r)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="key-expires">Expires (optional)</label>
          <input
            id="key-expires"
            name="expires"
            type="date"
            min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}
          />
        </div>
        <div class="actions wide">
          <button type="submit" class="primary" disabled={busy}>
            Create
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <Alert>{error}</Alert>
    </section>
  );
}

/**
 * The new key's secret, this once: a read-only field to select and a Copy button. Forgotten when dismissed or when the
 * page changes.
 */
function Secret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  // Null only when the answer was a replay of an earlier creation (Idempotency-Key): the secret is never shown twice.
  const secret = created.key ?? '';
  const [copied, setCopied] = useState('');
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      field.current?.select();
      setCopied('Copying was refused by the browser: the key is selected, copy it with Ctrl+C (⌘C).');
    }
  };
  return (
    <section class="card secret" aria-labelledby="secret-title">
      <h2 id="secret-title">Key {created.name} created</h2>
      <p>
        {created.key === null
          ? 'This key was created by an earlier attempt and its secret was shown then only: revoke it and create another.'
          : 'Copy the key now: it is not shown again.'}
      </p>
      <div class="field">
        <label for="key-secret">Secret key</label>
        <div class="with-button">
          <input
            ref={field}
            id="key-secret"
            class="mono"
            readOnly
            value={secret}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" onClick={copy}>
            Copy key
          </button>
        </div>
      </div>
      <Notice>{copied}</Notice>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
