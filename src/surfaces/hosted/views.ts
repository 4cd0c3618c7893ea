import type { BrandSettings } from '../../config.identity.js';
import { esc, field, notice, page } from './layout.js';
import { PASSKEY_SCRIPTS, passkeyForm } from './passkey.views.js';

/** What a page of an interaction needs: where its forms post, and the application it is for. */
export interface InteractionView {
  brand: BrandSettings;
  /** /oidc/interaction/<uid> */
  base: string;
  appName: string;
  /** "Email me a sign-in code" is offered (USHER_EMAIL_SIGN_IN=on). */
  emailSignIn?: boolean;
}

/** A submit button; `form` names another form it submits (the sign-in's Cancel sits beside Sign in). */
export const button = (label: string, o: { name?: string; value?: string; secondary?: boolean; form?: string } = {}) =>
  `<button type="submit"${o.name ? ` name="${esc(o.name)}" value="${esc(o.value ?? '')}"` : ''}${o.form ? ` form="${esc(o.form)}"` : ''}${o.secondary ? ' class="secondary"' : ''}>${esc(label)}</button>`;

export function loginPage(
  v: InteractionView,
  o: { login?: string; error?: string; info?: string; upstream?: string } = {},
): string {
  return page(
    v.brand,
    'Sign in',
    `<p>to continue to <strong>${esc(v.appName)}</strong></p>
${notice(o.error)}${notice(o.info, 'info')}
<form method="post" action="${esc(v.base)}/login">
${field('login', 'Username or email', { value: o.login ?? '', autocomplete: 'username webauthn', autofocus: !o.login })}
${field('password', 'Password', { type: 'password', autocomplete: 'current-password', autofocus: !!o.login })}
<div class="actions">${button('Sign in')}${button('Cancel', { form: 'abort', secondary: true })}</div>
</form>
${passkeyForm(v.base)}
${o.upstream ?? ''}
<p class="links"><a href="${esc(v.base)}/forgot">Forgot password?</a>${v.emailSignIn ? ` · <a href="${esc(v.base)}/email">Email me a sign-in code</a>` : ''}</p>
<form method="post" action="${esc(v.base)}/abort" id="abort"></form>`,
    PASSKEY_SCRIPTS,
  );
}

export function mfaPage(v: InteractionView & { mfaToken: string }, o: { error?: string } = {}): string {
  return page(
    v.brand,
    'Two-step verification',
    `<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${notice(o.error)}
<form method="post" action="${esc(v.base)}/mfa">
<input type="hidden" name="mfa_token" value="${esc(v.mfaToken)}">
${field('code', 'Authentication code', { autocomplete: 'one-time-code', autofocus: true, extra: 'inputmode="text" maxlength="32"' })}
<div class="actions">${button('Verify')}</div>
</form>`,
  );
}

/** Human words for the scopes a consent asks for. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'Your name, username and picture',
  email: 'Your email address',
  phone: 'Your phone number',
  roles: 'Your roles and permissions',
  organizations: 'The organizations you belong to',
  offline_access: 'Stay signed in (access while you are away)',
};

export function consentPage(v: InteractionView, o: { scopes: string[]; user: string }): string {
  const items = o.scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return page(
    v.brand,
    'Allow access?',
    `<p><strong>${esc(v.appName)}</strong> asks to use your account <strong>${esc(o.user)}</strong>:</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${esc(v.base)}/consent">
<div class="actions">${button('Allow', { name: 'decision', value: 'allow' })}${button('Deny', { name: 'decision', value: 'deny', secondary: true })}</div>
</form>`,
  );
}

export function forgotPage(v: InteractionView, o: { error?: string } = {}): string {
  return page(
    v.brand,
    'Reset your password',
    `<p>Enter your account's email address. If it has an account, a code is sent to it.</p>
${notice(o.error)}
<form method="post" action="${esc(v.base)}/forgot">
${field('email', 'Email', { type: 'email', autocomplete: 'email', autofocus: true })}
<div class="actions">${button('Send code')}</div>
</form>
<p class="links"><a href="${esc(v.base)}">Back to sign in</a></p>`,
  );
}

export function resetPage(v: InteractionView, o: { email: string; error?: string; info?: string }): string {
  return page(
    v.brand,
    'Choose a new password',
    `${notice(o.error)}${notice(o.info, 'info')}
<form method="post" action="${esc(v.base)}/reset">
<input type="hidden" name="email" value="${esc(o.email)}">
${field('code', 'Code', { autocomplete: 'one-time-code', autofocus: true })}
${field('password', 'New password', { type: 'password', autocomplete: 'new-password' })}
<div class="actions">${button('Set password')}</div>
</form>
<p class="links"><a href="${esc(v.base)}">Back to sign in</a></p>`,
  );
}

/** A page with a message and no form (signed out, a device connected, an error). */
export function messagePage(brand: BrandSettings, title: string, text: string, kind?: 'error'): string {
  return page(brand, title, kind ? notice(text) : `<p>${esc(text)}</p>`);
}

export function deviceInputPage(
  brand: BrandSettings,
  o: { action: string; xsrf: string; code?: string; error?: string },
): string {
  return page(
    brand,
    'Connect a device',
    `<p>Enter the code shown on your device.</p>
${notice(o.error)}
<form method="post" action="${esc(o.action)}">
<input type="hidden" name="xsrf" value="${esc(o.xsrf)}">
${field('user_code', 'Device code', { value: o.code ?? '', autocomplete: 'off', autofocus: true })}
<div class="actions">${button('Continue')}</div>
</form>`,
  );
}

export function deviceConfirmPage(
  brand: BrandSettings,
  o: { action: string; xsrf: string; code: string; appName: string },
): string {
  return page(
    brand,
    'Connect a device',
    `<p>Connect <strong>${esc(o.appName)}</strong> with the code <code class="user-code">${esc(o.code)}</code>?</p>
<p>Only continue if this code is shown on a device you are using.</p>
<form method="post" action="${esc(o.action)}">
<input type="hidden" name="xsrf" value="${esc(o.xsrf)}">
<input type="hidden" name="user_code" value="${esc(o.code)}">
<input type="hidden" name="confirm" value="yes">
<div class="actions">${button('Continue')}${button('Cancel', { name: 'abort', value: 'yes', secondary: true })}</div>
</form>`,
  );
}

export function logoutPage(brand: BrandSettings, o: { action: string; xsrf: string; appName?: string }): string {
  return page(
    brand,
    'Sign out',
    `<p>Do you want to sign out${o.appName ? ` of <strong>${esc(o.appName)}</strong> and ${esc(brand.name)}` : ''}?</p>
<form method="post" action="${esc(o.action)}">
<input type="hidden" name="xsrf" value="${esc(o.xsrf)}">
<div class="actions">${button('Sign out', { name: 'logout', value: 'yes' })}${button('Stay signed in', { secondary: true })}</div>
</form>`,
  );
}
