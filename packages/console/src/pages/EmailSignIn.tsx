import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ConsoleSession, UsherApiError, describe, keep, sessionCall } from '../api.js';
import { enter } from '../auth.js';
import { Alert, focusNextTitle } from '../components.js';
import { useAction } from '../hooks.js';
import { Field } from '../lists.js';

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
    <Step onSubmit={send} error={action.error} busy={action.busy} submit="Email me a code">
      <Field
        id="email-sign-in"
        label="Email"
        type="email"
        autoComplete="email"
        required
        maxLength={320}
        value={email}
        onValue={setEmail}
      />
    </Step>
  ) : (
    <Step onSubmit={submit} error={action.error} busy={action.busy} submit="Sign in with the code">
      <p class="small" role="status">
        If {sentTo} has an account, a code and a link are on their way to it.
      </p>
      <Field
        id="email-code"
        label="Code from the mail"
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        maxLength={6}
        value={code}
        onValue={setCode}
      />
    </Step>
  );
}

/** One step of it: a form of its fields, the error, and its submit button. */
function Step(props: {
  onSubmit: (event: Event) => void;
  error: string;
  busy: boolean;
  submit: string;
  children: ComponentChildren;
}) {
  return (
    <form onSubmit={props.onSubmit} class="stack email-sign-in">
      {props.children}
      <Alert>{props.error}</Alert>
      <button type="submit" disabled={props.busy}>
        {props.submit}
      </button>
    </form>
  );
}
