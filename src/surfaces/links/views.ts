import type { BrandSettings } from '../../config.identity.js';
import { esc, field, notice, page } from '../hosted/layout.js';

/** The pages a mailed link lands on (/auth/mail/…): each GET shows a button; only its POST spends the code. */
export const PREFIX = '/auth/mail';

const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
const submit = (label: string) => `<div class="actions"><button type="submit">${esc(label)}</button></div>`;
const form = (action: string, body: string) =>
  `<form method="post" action="${PREFIX}${esc(action)}">\n${body}\n</form>`;

/** A link's first page: what the button will do, the code carried in hidden fields. */
export function confirmPage(
  brand: BrandSettings,
  o: {
    title: string;
    text: string;
    action: string;
    email: string;
    code: string;
    label: string;
    password?: boolean;
    error?: string;
  },
): string {
  const password = o.password
    ? field('password', 'New password', { type: 'password', autocomplete: 'new-password', autofocus: true })
    : '';
  return page(
    brand,
    o.title,
    `<p>${esc(o.text)} <strong>${esc(o.email)}</strong></p>
${notice(o.error)}
${form(o.action, `${hidden('email', o.email)}${hidden('code', o.code)}\n${password}${submit(o.label)}`)}`,
  );
}

/** A link that no longer works (wrong, expired, used, or cut short): why, and a form to mail a new one. */
export function askAgainPage(
  brand: BrandSettings,
  o: { title: string; error: string; action: string; email: string },
): string {
  return page(
    brand,
    o.title,
    `${notice(o.error)}
<p>Ask for a new mail:</p>
${form(o.action, `${field('email', 'Email', { type: 'email', value: o.email, autocomplete: 'email' })}${submit('Send a new link')}`)}`,
  );
}

/** A page with a message, and a link onwards when there is one. */
export function donePage(
  brand: BrandSettings,
  title: string,
  text: string,
  next?: { href: string; label: string },
): string {
  const onwards = next ? `<p class="links"><a href="${esc(next.href)}">${esc(next.label)}</a></p>` : '';
  return page(brand, title, `<p role="status">${esc(text)}</p>${onwards}`);
}

/** The code of a sign-in asked for by an application: the application takes it, this page does not spend it. */
export function codeForAppPage(brand: BrandSettings, code: string): string {
  return page(
    brand,
    'Enter your code in the app',
    `<p>Your code is good. Sign-ins here open the admin console only; to sign in to the application where you asked for the code, enter it there:</p>
<p><code class="user-code">${esc(code)}</code></p>
<p>It works once, until it expires.</p>`,
  );
}

export function mfaLinkPage(brand: BrandSettings, o: { mfaToken: string; error?: string }): string {
  return page(
    brand,
    'Two-step verification',
    `<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${notice(o.error)}
${form(
  '/sign-in/mfa',
  `${hidden('mfa_token', o.mfaToken)}${field('code', 'Authentication code', { autocomplete: 'one-time-code', autofocus: true, extra: 'inputmode="text" maxlength="32"' })}${submit('Verify')}`,
)}`,
  );
}
