// The hosted sign-in page's passkeys: the "Sign in with a passkey" button and the browser's passkey autofill on the
// username field (conditional UI). Served as a file (the pages' CSP allows no inline script); the page works
// without it. The browser's answer goes back in an ordinary form POST, answered as the password's form is.
(() => {
  const form = document.getElementById('passkey');
  const lib = window.SimpleWebAuthnBrowser;
  if (!form || !lib?.browserSupportsWebAuthn()) return;
  const button = document.getElementById('passkey-button');
  const error = document.getElementById('passkey-error');

  async function signIn(autofill) {
    const res = await fetch(form.dataset.options, { method: 'POST', credentials: 'same-origin' });
    if (!res.ok) throw new Error('options');
    const { challenge_id, options } = await res.json();
    const credential = await lib.startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
    form.elements.challenge_id.value = challenge_id;
    form.elements.credential.value = JSON.stringify(credential);
    form.submit();
  }

  form.hidden = false;
  button.addEventListener('click', () => {
    error.hidden = true;
    signIn(false).catch((e) => {
      // Starting the button's ceremony cancels the autofill's: that one's AbortError is not a failure.
      if (e && e.name === 'AbortError') return;
      error.textContent = 'Signing in with a passkey did not work. Try again, or use your password.';
      error.hidden = false;
    });
  });
  lib
    .browserSupportsWebAuthnAutofill()
    .then((yes) => yes && signIn(true))
    .catch(() => {});
})();
