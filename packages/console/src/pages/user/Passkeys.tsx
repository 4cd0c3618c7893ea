import { useState } from 'preact/hooks';
import { type Passkey, client } from '../../api.js';
import { Alert, ConfirmDialog, Notice, Time } from '../../components.js';
import { useResource } from '../../hooks.js';

/** A user's passkeys on their page (admins), each to remove (for a lost or stolen device). */
export function UserPasskeys({ userId }: { userId: string }) {
  const passkeys = useResource(() => client.passkeys.list(userId), [userId]);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const [notice, setNotice] = useState('');
  const rows = passkeys.data;
  return (
    <section class="card" aria-labelledby="user-passkeys-title">
      <h2 id="user-passkeys-title">Passkeys</h2>
      <Alert>{passkeys.error}</Alert>
      <Notice>{notice}</Notice>
      {rows && rows.length === 0 && <p class="muted">No passkeys.</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Passkeys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Synced</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.device_type === 'multiDevice' ? 'Yes' : 'No'}</td>
                  <td>
                    <Time value={p.created_at} />
                  </td>
                  <td>{p.last_used_at ? <Time value={p.last_used_at} /> : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Remove passkey ${p.name}`}
                      onClick={() => setRemoving(p)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Remove this passkey?"
        confirm="Remove passkey"
        danger
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          await client.passkeys.removeOf(userId, removing!.id);
          setNotice(`Passkey "${removing!.name}" removed.`);
          passkeys.reload();
        }}
      >
        <p>
          The user will no longer be able to sign in with <strong>{removing?.name}</strong>.
        </p>
      </ConfirmDialog>
    </section>
  );
}
