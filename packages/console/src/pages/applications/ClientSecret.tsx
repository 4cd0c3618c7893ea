import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../../components.js';

/**
 * A client secret, this once (a new application's or a rotated one): a read-only field to select and a Copy button.
 * Forgotten when dismissed or when the page changes.
 */
export function ClientSecret({
  name,
  clientId,
  secret,
  rotated,
  onDone,
}: {
  name: string;
  clientId: string;
  /** Null for a public client, or for a replay of an earlier creation (whose secret was shown then only). */
  secret: string | null;
  rotated: boolean;
  onDone: () => void;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? '');
      setCopied('Copied to the clipboard.');
    } catch {
      field.current?.select();
      setCopied('Copying was refused by the browser: the secret is selected, copy it with Ctrl+C (⌘C).');
    }
  };
  return (
    <section class="card secret" aria-labelledby="app-secret-title">
      <h2 id="app-secret-title">{rotated ? `New secret for ${name}` : `Application ${name} created`}</h2>
      <div class="field">
        <label for="app-client-id">Client ID</label>
        <input id="app-client-id" class="mono" readOnly value={clientId} />
      </div>
      {secret === null ? (
        <p>This application is a public client: it has no secret and proves itself with PKCE.</p>
      ) : (
        <>
          <p>
            Copy the client secret now: it is not shown again.
            {rotated ? ' The previous secret no longer works.' : ''}
          </p>
          <div class="field">
            <label for="app-client-secret">Client secret</label>
            <div class="with-button">
              <input
                ref={field}
                id="app-client-secret"
                class="mono"
                readOnly
                value={secret}
                onFocus={(e) => e.currentTarget.select()}
              />
              <button type="button" onClick={copy}>
                Copy secret
              </button>
            </div>
          </div>
          <Notice>{copied}</Notice>
        </>
      )}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
