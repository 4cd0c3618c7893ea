import { useEffect, useState } from 'preact/hooks';
import { client, isStatus, type User } from '../../api.js';
import { Alert, Notice } from '../../components.js';
import { useAction } from '../../hooks.js';

/**
 * A user's custom attributes: custom_data as pretty JSON and the external id; admins edit the JSON in a textarea.
 * The save is a PATCH that sets every property given and removes (null) every one taken out, over the version on
 * screen (If-Match); the server's schema errors are shown per field.
 */
export function CustomData(props: {
  user: User;
  etag: string | null;
  admin: boolean;
  onSaved: (user: User, etag: string | null) => void;
}) {
  const { user, etag, admin, onSaved } = props;
  const pretty = JSON.stringify(user.custom_data ?? {}, null, 2);
  const [text, setText] = useState(pretty);
  const [notice, setNotice] = useState('');
  const [invalid, setInvalid] = useState('');
  const action = useAction();
  useEffect(() => setText(pretty), [pretty]);

  const submit = (event: Event) => {
    event.preventDefault();
    setNotice('');
    setInvalid('');
    let next: unknown;
    try {
      next = JSON.parse(text);
    } catch {
      setInvalid('This is not valid JSON.');
      return;
    }
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      setInvalid('Custom data must be a JSON object, like {"plan": "pro"}.');
      return;
    }
    const before = (user.custom_data ?? {}) as Record<string, unknown>;
    const changes: Record<string, unknown> = { ...(next as Record<string, unknown>) };
    for (const key of Object.keys(before)) if (!(key in changes)) changes[key] = null;
    void action.run(async () => {
      try {
        const saved = await client.users.patchWithETag(user.id, { custom_data: changes }, { ifMatch: etag });
        onSaved(saved.user, saved.etag);
        setNotice('Custom data saved.');
      } catch (e) {
        if (!isStatus(e, 412)) throw e;
        setInvalid('Someone else changed this user after you opened the page; nothing was saved. Reload the page.');
      }
    });
  };

  return (
    <section class="card" aria-labelledby="custom-data-title">
      <h2 id="custom-data-title">Custom attributes</h2>
      <dl class="facts">
        <dt>External id</dt>
        <dd>{user.external_id ? <code>{user.external_id}</code> : <span class="muted">None</span>}</dd>
      </dl>
      {admin ? (
        <form onSubmit={submit}>
          <div class="field">
            <label for="custom-data">Custom data (JSON object, at most 16 KiB)</label>
            <textarea
              id="custom-data"
              rows={8}
              spellcheck={false}
              value={text}
              aria-invalid={invalid !== '' || action.error !== ''}
              aria-describedby="custom-data-help"
              onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            />
            <p id="custom-data-help" class="muted">
              Checked against the user schema. Removing a property removes it from the user.
            </p>
          </div>
          <Alert>{invalid || action.error}</Alert>
          <Notice>{notice}</Notice>
          <button type="submit" disabled={action.busy}>
            {action.busy ? 'Updating…' : 'Update custom data'}
          </button>
        </form>
      ) : (
        <figure class="json">
          <figcaption>Custom data</figcaption>
          <pre class="json">{pretty}</pre>
        </figure>
      )}
    </section>
  );
}
