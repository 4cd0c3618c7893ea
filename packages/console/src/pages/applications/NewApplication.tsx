import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApplicationType, CreatedApplication } from 'user-management-api-client';
import { APPLICATION_TYPES, client } from '../../api.js';
import { Alert } from '../../components.js';
import { FormActions } from '../../lists.js';
import { useAction } from '../../hooks.js';

/** Making an application: its name, type, redirect URIs (one per line), scopes and whether it is first-party. */

export const TYPE_LABELS: Record<ApplicationType, string> = {
  web: 'Web (server-side, with a secret)',
  spa: 'Single-page app (browser, PKCE)',
  native: 'Native (installed app, PKCE)',
  machine: 'Machine (client credentials, no user)',
};

/** The lines of a textarea, trimmed, blank ones dropped. */
export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function NewApplication({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (created: CreatedApplication) => void;
}) {
  const action = useAction();
  const first = useRef<HTMLInputElement>(null);
  const [type, setType] = useState<ApplicationType>('web');
  useEffect(() => first.current?.focus(), []);
  const machine = type === 'machine';
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const scopes = String(form.get('scopes') ?? '')
      .split(/\s+/)
      .filter((s) => s !== '');
    void action.run(async () => {
      const created = await client.applications.create({
        name: String(form.get('name')).trim(),
        type,
        ...(machine
          ? {}
          : {
              redirect_uris: linesOf(String(form.get('redirect_uris') ?? '')),
              post_logout_redirect_uris: linesOf(String(form.get('post_logout_redirect_uris') ?? '')),
            }),
        ...(scopes.length > 0 ? { scopes } : {}),
        first_party: form.get('first_party') === 'on',
      });
      onCreated(created);
    });
  };
  return (
    <section class="card" aria-labelledby="new-app-title">
      <h2 id="new-app-title">New application</h2>
      <form onSubmit={submit} class="grid-form">
        <div class="field">
          <label for="app-name">Name</label>
          <input ref={first} id="app-name" name="name" required maxLength={100} autoComplete="off" />
        </div>
        <div class="field">
          <label for="app-type">Type</label>
          <select id="app-type" value={type} onChange={(e) => setType(e.currentTarget.value as ApplicationType)}>
            {APPLICATION_TYPES.map((t) => (
              <option value={t}>{TYPE_LABELS[t]}</option>
            ))}
          </select>
        </div>
        {!machine && (
          <>
            <div class="field wide">
              <label for="app-redirects">Redirect URIs</label>
              <textarea
                id="app-redirects"
                name="redirect_uris"
                rows={3}
                required
                aria-describedby="app-redirects-hint"
                class="mono"
              />
              <span id="app-redirects-hint" class="hint">
                One per line, exact: https (http only on localhost); a native app may use com.example.app:/callback.
              </span>
            </div>
            <div class="field wide">
              <label for="app-logout">Post-logout redirect URIs (optional)</label>
              <textarea id="app-logout" name="post_logout_redirect_uris" rows={2} class="mono" />
            </div>
          </>
        )}
        <div class="field">
          <label for="app-scopes">Scopes (optional)</label>
          <input id="app-scopes" name="scopes" autoComplete="off" aria-describedby="app-scopes-hint" />
          <span id="app-scopes-hint" class="hint">
            {machine
              ? 'Space-separated API scopes, e.g. users:read; none by default.'
              : 'Space-separated; default openid profile email (+ offline_access for web and native).'}
          </span>
        </div>
        <div class="field inline">
          <input id="app-first-party" name="first_party" type="checkbox" />
          <label for="app-first-party">First-party (skips the consent screen)</label>
        </div>
        <FormActions submit="Create" busy={action.busy} onCancel={onCancel} />
      </form>
      <Alert>{action.error}</Alert>
    </section>
  );
}
