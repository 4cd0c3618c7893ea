import { useState } from 'preact/hooks';
import { type Passkey, client } from '../../api.js';
import { Alert, Notice } from '../../components.js';
import { useResource } from '../../hooks.js';
import { PasskeyTable, RemovePasskey } from '../passkey-parts.js';

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
        <PasskeyTable
          caption="Passkeys"
          kind="Synced"
          rows={rows}
          row={(p) => ({
            name: p.name,
            kind: p.device_type === 'multiDevice' ? 'Yes' : 'No',
            actions: (
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
            ),
          })}
        />
      )}
      <RemovePasskey
        passkey={removing}
        who="The user"
        onClose={() => setRemoving(null)}
        remove={async (p) => {
          await client.passkeys.removeOf(userId, p.id);
          setNotice(`Passkey "${p.name}" removed.`);
          passkeys.reload();
        }}
      />
    </section>
  );
}
