import { useEffect, useState } from 'preact/hooks';
import type { Application } from '../../api.js';
import { client } from '../../api.js';
import { Alert, Dialog } from '../../components.js';
import { useAction } from '../../hooks.js';
import { linesOf } from './NewApplication.js';

/** Editing an application's redirect URIs and post-logout redirect URIs, one per line, in a dialog. */
export function EditUris({
  application,
  onClose,
  onSaved,
}: {
  application: Application | null;
  onClose: () => void;
  onSaved: (saved: Application) => void;
}) {
  const action = useAction();
  const [redirects, setRedirects] = useState('');
  const [logouts, setLogouts] = useState('');
  useEffect(() => {
    action.clear();
    setRedirects(application?.redirect_uris.join('\n') ?? '');
    setLogouts(application?.post_logout_redirect_uris.join('\n') ?? '');
  }, [application?.id]);
  const save = (event: Event) => {
    event.preventDefault();
    if (!application) return;
    void action.run(async () => {
      const saved = await client.applications.update(application.id, {
        redirect_uris: linesOf(redirects),
        post_logout_redirect_uris: linesOf(logouts),
      });
      onSaved(saved);
      onClose();
    });
  };
  return (
    <Dialog open={application !== null} title={`Redirect URIs of ${application?.name ?? ''}`} onClose={onClose}>
      <form onSubmit={save} class="stack">
        <div class="field">
          <label for="edit-redirects">Redirect URIs</label>
          <textarea
            id="edit-redirects"
            class="mono"
            rows={4}
            value={redirects}
            onInput={(e) => setRedirects(e.currentTarget.value)}
            aria-describedby="edit-redirects-hint"
          />
          <span id="edit-redirects-hint" class="hint">
            One per line, exact; the list replaces the current one.
          </span>
        </div>
        <div class="field">
          <label for="edit-logouts">Post-logout redirect URIs</label>
          <textarea
            id="edit-logouts"
            class="mono"
            rows={2}
            value={logouts}
            onInput={(e) => setLogouts(e.currentTarget.value)}
          />
        </div>
        <Alert>{action.error}</Alert>
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            Save
          </button>
          <button type="button" onClick={onClose} disabled={action.busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
