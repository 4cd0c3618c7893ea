import { useEffect, useRef, useState } from 'preact/hooks';
import { UsherApiError, client, describe, signIn, signInWithPasskey, verifyMfa } from '../api.js';
import { enter } from '../auth.js';
import { Alert, Notice, focusNextTitle } from '../components.js';
import { useAction } from '../hooks.js';
import { Field } from '../lists.js';
import { EmailSignIn } from './EmailSignIn.js';
import { UpstreamButtons, upstreamMfaToken } from './sign-in/Upstream.js';

const STAFF_ONLY = 'The console is for admins and moderators.';

function reason(error: unknown): string {
  // An organization's enforced single sign-on refused the password: its own words.
  if (error instanceof UsherApiError && error.details.reason === 'sso_required') return error.message;
  // The console's own refusal of a signed-in plain user (the server names it FORBIDDEN or INSUFFICIENT_PERMISSIONS).
  if (
    error instanceof UsherApiError &&
    error.status === 403 &&
    (error.code === 'FORBIDDEN' || error.code === 'INSUFFICIENT_PERMISSIONS')
  )
    return STAFF_ONLY;
  if (error instanceof UsherApiError && error.status === 401) return 'Wrong username, email or password.';
  return describe(error);
}

/**
 * Sign in with username or email and password, then the TOTP (or recovery) code when the account has a second factor.
 */
export function SignInPage({ message }: { message?: string | undefined }) {
  // An upstream sign-in of a user with a second factor comes back with its challenge.
  const [step, setStep] = useState<{ mfaToken: string } | null>(() => {
    const mfaToken = upstreamMfaToken();
    return mfaToken ? { mfaToken } : null;
  });
  const action = useAction(reason);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const codeField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Usher console';
  }, []);
  useEffect(() => {
    if (step) codeField.current?.focus();
  }, [step]);

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      // An address at an organization's domain with single sign-on goes to its provider (home realm discovery).
      if (login.includes('@')) {
        const found = await client.organizationSso.discover(login.trim());
        if (found.sso) return window.location.assign(found.url);
      }
      // Not required by the form: an address with single sign-on needs none.
      if (password === '') throw new Error('Enter your password.');
      const result = await signIn(login.trim(), password);
      if ('mfa_required' in result) {
        setPassword('');
        setStep({ mfaToken: result.mfa_token });
      } else {
        focusNextTitle();
        await enter(result.user);
      }
    });
  };

  const withPasskey = () =>
    void action.run(async () => {
      try {
        const session = await signInWithPasskey();
        focusNextTitle();
        await enter(session.user);
      } catch (e) {
        if (e instanceof UsherApiError && e.status === 401)
          throw new Error('That passkey did not sign you in. Try again, or use your password.');
        if (e instanceof Error && (e.name === 'NotAllowedError' || e.name === 'AbortError'))
          throw new Error('No passkey was used (cancelled, or timed out).');
        throw e;
      }
    });

  const submitCode = (event: Event) => {
    event.preventDefault();
    if (!step) return;
    void action.run(async () => {
      try {
        const session = await verifyMfa(step.mfaToken, code.replace(/\s+/g, ''));
        focusNextTitle();
        await enter(session.user);
      } catch (e) {
        if (e instanceof UsherApiError && e.status === 401) {
          // The challenge expired or was used up: start again.
          setStep(null);
          setCode('');
          throw new Error('The sign-in expired or had too many wrong codes. Sign in again.');
        }
        if (e instanceof UsherApiError && e.status === 400)
          throw new Error('That code is not right. Try the current code from your authenticator app.');
        throw e;
      }
    });
  };

  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <p class="brand-large" aria-hidden="true">
          Usher
        </p>
        {!step ? (
          <>
            <h1 ref={heading}>Sign in to the console</h1>
            <Notice>{message}</Notice>
            <form onSubmit={submit} class="stack">
              <Field
                id="login"
                label="Username or email"
                name="username"
                autoComplete="username"
                required
                maxLength={320}
                value={login}
                onValue={setLogin}
              />
              <Field
                id="password"
                label="Password"
                name="password"
                type="password"
                autoComplete="current-password"
                maxLength={1024}
                value={password}
                onValue={setPassword}
              />
              <Alert>{action.error}</Alert>
              <button type="submit" class="primary" disabled={action.busy}>
                Sign in
              </button>
            </form>
            <button type="button" class="passkey-button" disabled={action.busy} onClick={withPasskey}>
              Sign in with a passkey
            </button>
            <UpstreamButtons />
            <EmailSignIn onMfa={(mfaToken) => setStep({ mfaToken })} />
            <p class="muted small">For admins and moderators of this Usher server.</p>
          </>
        ) : (
          <>
            <h1>Two-factor authentication</h1>
            <form onSubmit={submitCode} class="stack">
              <div class="field">
                <label for="code">Authentication code</label>
                <input
                  ref={codeField}
                  id="code"
                  name="code"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  maxLength={16}
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value)}
                  aria-describedby="code-hint"
                />
                <span id="code-hint" class="hint">
                  The 6-digit code from your authenticator app, or one of your recovery codes.
                </span>
              </div>
              <Alert>{action.error}</Alert>
              <div class="actions">
                <button type="submit" class="primary" disabled={action.busy}>
                  Verify
                </button>
                <button
                  type="button"
                  onClick={() => {
                    setStep(null);
                    setCode('');
                    action.clear();
                  }}
                >
                  Back
                </button>
              </div>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
