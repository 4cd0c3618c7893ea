import { useEffect } from 'preact/hooks';
import { client } from '../../api.js';
import { Alert, Dialog } from '../../components.js';
import { useAction } from '../../hooks.js';
import { href, navigate } from '../../router.js';

/** A dialog to create a user (username, email, password); the new user's page opens after. */
export function NewUser({ open, onClose }: { open: boolean; onClose: () => void }) {
  const action = useAction();
  useEffect(() => {
    if (open) action.clear();
  }, [open]);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void action.run(async () => {
      const user = await client.users.create({
        username: String(form.get('username')).trim(),
        email: String(form.get('email')).trim(),
        password: String(form.get('password')),
      });
      onClose();
      navigate(href(`/users/${user.id}`));
    });
  };
  return (
    <Dialog open={open} title="New user" onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <div class="field">
          <label for="new-username">Username</label>
          <input id="new-username" name="username" required minLength={3} maxLength={50} autoComplete="off" />
        </div>
        <div class="field">
          <label for="new-email">Email</label>
          <input id="new-email" name="email" type="email" required maxLength={255} autoComplete="off" />
        </div>
        <div class="field">
          <label for="new-password">Password</label>
          <input
            id="new-password"
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={128}
            autoComplete="new-password"
            aria-describedby="new-password-hint"
          />
          <span id="new-password-hint" class="hint">
            8 or more characters with a letter and a digit; not an easily guessed one.
          </span>
        </div>
        <Alert>{action.error}</Alert>
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            Create
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
