import { useState } from 'preact/hooks';
import { client, type User } from '../../api.js';
import { Alert, ConfirmDialog, Notice } from '../../components.js';
import { fullName } from '../../format.js';
import { useAction } from '../../hooks.js';
import { rememberState } from '../../router.js';

/** What happens to the account as a whole: restore, password reset, second factor, delete. */

export function Deleted({ user, admin, onRestored }: { user: User; admin: boolean; onRestored: (u: User) => void }) {
  const action = useAction();
  const restore = () =>
    action.run(async () => {
      const restored = await client.users.restore(user.id);
      rememberState(null);
      onRestored(restored);
    });
  return (
    <section class="card deleted" aria-labelledby="deleted-title">
      <h2 id="deleted-title">Deleted</h2>
      <p>
        This user is deleted: {user.email}
        {fullName(user) ? `, ${fullName(user)}` : ''}. They cannot sign in.
      </p>
      {admin && (
        <button type="button" class="primary" onClick={restore} disabled={action.busy}>
          Restore user
        </button>
      )}
      <Alert>{action.error}</Alert>
    </section>
  );
}

export function PasswordReset({ email }: { email: string }) {
  const [notice, setNotice] = useState('');
  const action = useAction();
  const send = () =>
    action.run(async () => {
      setNotice('');
      await client.auth.requestPasswordReset(email);
      setNotice(
        `A password reset code is on its way to ${email} (when the server has mail configured; otherwise the mail is written to the server's log).`,
      );
    });
  return (
    <div class="subsection">
      <h3>Password</h3>
      <p class="muted">Mails the user a code to choose a new password. Their sessions end when they use it.</p>
      <button type="button" onClick={send} disabled={action.busy}>
        Send password reset
      </button>
      <Alert>{action.error}</Alert>
      <Notice>{notice}</Notice>
    </div>
  );
}

export function TwoFactor({ user, admin, onReset }: { user: User; admin: boolean; onReset: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');
  return (
    <section class="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor authentication</h2>
      <p>{user.mfa_enabled ? 'On: sign-in asks for a code from an authenticator app (TOTP).' : 'Off.'}</p>
      {admin && user.mfa_enabled && (
        <button type="button" onClick={() => setConfirming(true)}>
          Reset two-factor
        </button>
      )}
      <Notice>{notice}</Notice>
      <ConfirmDialog
        open={confirming}
        title={`Reset two-factor of ${user.username}?`}
        confirm="Reset"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await client.users.resetMfa(user.id);
          setNotice('Two-factor authentication is off; the user can turn it on again.');
          onReset();
        }}
      >
        <p>For a lost authenticator: the user then signs in with the password alone until they set up a new one.</p>
      </ConfirmDialog>
    </section>
  );
}

export function DeleteUser({ user, onDeleted }: { user: User; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete</h2>
      <p>The user can no longer sign in and every session ends. An admin can restore them.</p>
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete user
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${user.username}?`}
        confirm="Delete"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await client.users.delete(user.id);
          onDeleted();
        }}
      >
        <p>
          {user.username} ({user.email}) will be deleted. They can be restored later from this page or from Users,
          status Deleted.
        </p>
      </ConfirmDialog>
    </section>
  );
}
