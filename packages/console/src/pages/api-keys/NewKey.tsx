import { useEffect, useRef } from 'preact/hooks';
import type { CreatedApiKey } from 'user-management-api-client';
import { USER_ROLES, client, type User } from '../../api.js';
import { Alert } from '../../components.js';
import { FormActions } from '../../lists.js';
import { capitalise } from '../../format.js';
import { SecretField } from '../../secret-field.js';
import { useAction } from '../../hooks.js';

/** Making a key: the form, then its secret, shown this once. */

type Role = User['role'];

export function NewKey({
  myRole,
  onCancel,
  onCreated,
}: {
  myRole: Role;
  onCancel: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const action = useAction();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  // A key never outranks its maker.
  const rank = { user: 0, moderator: 1, admin: 2 } as const;
  const roles = USER_ROLES.filter((r) => rank[r] <= rank[myRole]);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const expires = String(form.get('expires') ?? '');
    void action.run(async () => {
      const key = await client.apiKeys.create({
        name: String(form.get('name')).trim(),
        role: String(form.get('role')) as Role,
        // The end of the chosen day, in the browser's time zone.
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      });
      onCreated(key);
    });
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
        <FormActions submit="Create" busy={action.busy} onCancel={onCancel} />
      </form>
      <Alert>{action.error}</Alert>
    </section>
  );
}

/**
 * The new key's secret, this once: a read-only field to select and a Copy button. Forgotten when dismissed or when the
 * page changes.
 */
export function Secret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  // Null only when the answer was a replay of an earlier creation (Idempotency-Key): the secret is never shown twice.
  const secret = created.key ?? '';
  return (
    <section class="card secret" aria-labelledby="secret-title">
      <h2 id="secret-title">Key {created.name} created</h2>
      <p>
        {created.key === null
          ? 'This key was created by an earlier attempt and its secret was shown then only: revoke it and create another.'
          : 'Copy the key now: it is not shown again.'}
      </p>
      <SecretField id="key-secret" label="Secret key" value={secret} button="Copy key" noun="key" />
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
