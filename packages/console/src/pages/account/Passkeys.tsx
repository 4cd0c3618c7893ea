import { startRegistration } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { type Passkey, client, isStatus } from '../../api.js';
import { Alert, Notice } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';
import { Field } from '../../lists.js';
import { PasskeyTable, RemovePasskey } from '../passkey-parts.js';

const KIND = { singleDevice: 'This device', multiDevice: 'Synced' } as const;

/** Why adding a passkey failed, in words for the person at the browser. */
function addFailed(error: unknown): Error | unknown {
  if (isStatus(error, 403))
    return new Error('Adding a passkey needs a recent sign-in: sign out, sign in again, then add it.');
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError'))
    return new Error('The passkey was not created (cancelled, or timed out).');
  if (error instanceof Error && error.name === 'InvalidStateError')
    return new Error('This device holds a passkey for your account already.');
  return error;
}

/** "Passkeys" on My account: the signed-in user's own, to add, rename and remove. */
export function Passkeys() {
  const passkeys = useResource(() => client.passkeys.mine(), []);
  const [notice, setNotice] = useState('');
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const action = useAction();

  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setNotice('');
      try {
        const { challenge_id, options } = await client.passkeys.registrationOptions();
        const credential = await startRegistration({ optionsJSON: options as never });
        const added = await client.passkeys.register(challenge_id, credential as never, name.trim() || undefined);
        setName('');
        setNotice(`Passkey "${added.name}" added.`);
      } catch (error) {
        throw addFailed(error);
      }
      passkeys.reload();
    });
  };

  const rename = (event: Event) => {
    event.preventDefault();
    if (!renaming) return;
    void action.run(async () => {
      const renamed = await client.passkeys.rename(renaming.id, renaming.name);
      setRenaming(null);
      setNotice(`Renamed to "${renamed.name}".`);
      passkeys.reload();
    });
  };

  const rows = passkeys.data;
  return (
    <section class="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p class="muted">
        A passkey signs you in with your device's screen lock or a security key, instead of a password and code.
      </p>
      <Alert>{action.error || passkeys.error}</Alert>
      <Notice>{notice}</Notice>
      {rows && rows.length === 0 && <p class="muted">No passkeys yet.</p>}
      {rows && rows.length > 0 && (
        <PasskeyTable
          caption="Your passkeys"
          kind="Kind"
          rows={rows}
          row={(p) => ({
            name:
              renaming?.id === p.id ? (
                <form onSubmit={rename} class="inline-form">
                  <label class="visually-hidden" for={`rename-${p.id}`}>
                    New name for {p.name}
                  </label>
                  <input
                    id={`rename-${p.id}`}
                    value={renaming.name}
                    maxLength={64}
                    required
                    onInput={(e) => setRenaming({ id: p.id, name: e.currentTarget.value })}
                  />
                  <button type="submit" class="primary" disabled={action.busy}>
                    Save
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                p.name
              ),
            kind: KIND[p.device_type],
            actions: (
              <td class="row-actions">
                <button
                  type="button"
                  aria-label={`Rename ${p.name}`}
                  onClick={() => setRenaming({ id: p.id, name: p.name })}
                >
                  Rename
                </button>
                <button type="button" class="danger" aria-label={`Remove ${p.name}`} onClick={() => setRemoving(p)}>
                  Remove
                </button>
              </td>
            ),
          })}
        />
      )}
      <form onSubmit={add} class="stack">
        <Field
          id="passkey-name"
          label="Name (optional)"
          value={name}
          onValue={setName}
          maxLength={64}
          placeholder="For example: Work laptop"
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            Add a passkey
          </button>
        </div>
      </form>
      <RemovePasskey
        passkey={removing}
        who="You"
        onClose={() => setRemoving(null)}
        remove={async (p) => {
          await client.passkeys.remove(p.id);
          setNotice(`Passkey "${p.name}" removed.`);
          passkeys.reload();
        }}
      />
    </section>
  );
}
