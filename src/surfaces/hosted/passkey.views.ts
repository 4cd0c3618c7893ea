import { esc } from './layout.js';

/** The sign-in page's passkey parts (the scripts are served by passkey-assets.ts). */

/** The browser library (@simplewebauthn/browser's bundle), then the page's own script (assets/hosted-passkey.js). */
export const PASSKEY_SCRIPTS = ['/oidc/assets/webauthn.js', '/oidc/assets/passkey.js'] as const;

/**
 * The form the script fills with the browser's answer and submits (an ordinary POST, answered as the password's
 * form is). Its button stays hidden until the script shows it: without JavaScript, or a browser without passkeys,
 * the page is the password form alone.
 */
export const passkeyForm = (base: string): string =>
  `<form method="post" action="${esc(base)}/passkey" id="passkey" class="passkey" data-options="${esc(base)}/passkey/options" hidden>
<input type="hidden" name="challenge_id" value="">
<input type="hidden" name="credential" value="">
<p class="notice error" role="alert" id="passkey-error" hidden></p>
<button type="button" class="secondary" id="passkey-button">Sign in with a passkey</button>
</form>`;
