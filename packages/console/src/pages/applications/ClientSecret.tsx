import { SecretField } from '../../secret-field.js';

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
          <SecretField id="app-client-secret" label="Client secret" value={secret} button="Copy secret" noun="secret" />
        </>
      )}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
