import { esc, field, notice, page } from './layout.js';
import type { InteractionView } from './views.js';

/** The hosted sign-in page's "Email me a sign-in code" (email.routes.ts): ask, type the code, or press the link's button. */
const submit = (label: string) => `<div class="actions"><button type="submit">${esc(label)}</button></div>`;
const back = (v: InteractionView) => `<p class="links"><a href="${esc(v.base)}">Back to sign in</a></p>`;

export function emailAskPage(v: InteractionView, o: { email?: string; error?: string } = {}): string {
  return page(
    v.brand,
    'Sign in with email',
    `<p>to continue to <strong>${esc(v.appName)}</strong>. We mail you a code and a link.</p>
${notice(o.error)}
<form method="post" action="${esc(v.base)}/email">
${field('email', 'Email', { type: 'email', value: o.email ?? '', autocomplete: 'email', autofocus: true })}
${submit('Email me a code')}
</form>
${back(v)}`,
  );
}

export function emailCodePage(v: InteractionView, o: { email: string; error?: string; info?: string }): string {
  return page(
    v.brand,
    'Enter your code',
    `${notice(o.error)}${notice(o.info, 'info')}
<form method="post" action="${esc(v.base)}/email/code">
<input type="hidden" name="email" value="${esc(o.email)}">
${field('code', 'Code', { autocomplete: 'one-time-code', autofocus: true, extra: 'inputmode="numeric" maxlength="6"' })}
${submit('Sign in')}
</form>
<p class="links"><a href="${esc(v.base)}/email?${esc(new URLSearchParams({ email: o.email }))}">Send a new code</a></p>
${back(v)}`,
  );
}

/** Where the mail's link lands: nothing is spent until the button is pressed. */
export function emailLinkPage(v: InteractionView, o: { email: string; code: string }): string {
  return page(
    v.brand,
    'Sign in',
    `<p>Sign in as <strong>${esc(o.email)}</strong> to continue to <strong>${esc(v.appName)}</strong>?</p>
<form method="post" action="${esc(v.base)}/email/code">
<input type="hidden" name="email" value="${esc(o.email)}">
<input type="hidden" name="code" value="${esc(o.code)}">
${submit('Sign in')}
</form>
${back(v)}`,
  );
}
