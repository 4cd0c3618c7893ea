import { useEffect, useState } from 'preact/hooks';
import { type ConsoleSession, UsherApiError, describe, keep, sessionCall } from '../api.js';
import { enter } from '../auth.js';
import { Alert, focusNextTitle } from '../components.js';
import { useAction } from '../hooks.js';

type Answer = ConsoleSession | { mfa_required: true; mfa_token: string };

function reason(error: unknown): string {
  if (error instanceof UsherApiError && error.status === 400 && error.code === 'VALIDATION_ERROR')
    return 'That code is wrong, was used already, or has expired. Ask for a new one.';
  if (error instanceof UsherApiError && error.status === 403) return 'The console is for admins and moderators.';
  return describe(error);
}

/**
 * "Email me a sign-in code" under the console's password form (USHER_EMAIL_SIGN_IN): shown only when the server
 * offers it. The code (or the mail's link, which opens the console by itself) signs in; a second factor goes on to
 * the sign-in page's own code step (`onMfa`).
 */
export function EmailSignIn({ onMfa }: { onMfa: (mfaToken: string) => void }) {
  const [enabled, setEnabled] = useState(false);
  const [open, setOpen] = useState(false);
  const [sentTo, setSentTo] = useState('');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const action = useAction(reason);

  useEffect(() => {
    sessionCall<{ enabled: boolean }>('GET', '/email').then(
      (r) => setEnabled(r.enabled),
      () => setEnabled(false),
    );
  }, []);
  if (!enabled) return null;
  if (!open)
    return (
      <div class="email-sign-in">
        <button type="button" onClick={() => setOpen(true)}>
          Email me a sign-in code
        </button>
      </div>
    );

  const send = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await sessionCall('POST', '/email/request', { email: email.trim() });
      setSentTo(email.trim());
    });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const result = await sessionCall<Answer>('POST', '/email', { email: sentTo, code: code.trim() });
      if ('mfa_required' in result) return onMfa(result.mfa_token);
      keep(result);
      focusNextTitle();
      await enter(result.user);
    });
  };

  return !sentTo ? (
    <form onSubmit={send} class="stack email-sign-in">
      <div class="field">
        <label for="email-sign-in">Email</label>
        <input
          id="email-sign-in"
          type="email"
          autoComplete="email"
          required
          maxLength={320}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </div>
      <Alert>{action.error}</Alert>
      <button type="submit" disabled={action.busy}>
        Email me a code
      </button>
    </form>
  ) : (
    <form onSubmit={submit} class="stack email-sign-in">
      <p class="small" role="status">
        If {sentTo} has an account, a code and a link are on their way to it.
      </p>
      <div class="field">
        <label for="email-code">Code from the mail</label>
        <input
          id="email-code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          maxLength={6}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
      </div>
      <Alert>{action.error}</Alert>
      <button type="submit" disabled={action.busy}>
        Sign in with the code
      </button>
    </form>
  );
}
