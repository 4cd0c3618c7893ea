import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { PASSWORD } from '../support/helper.js';
import { authorization, mailedCode, signIn, turnTotpOn } from '../support/hosted-flow.js';
import {
  assertAccessible,
  assertChromium,
  CHROMIUM,
  callbackServer,
  landedOn,
  assertScriptFree,
  watchDocuments,
} from '../support/hosted-browser.js';
import { startIssuer } from '../support/oidc.js';

/**
 * Issue 25, part 3: the hosted sign-in pages (src/surfaces/hosted/) and the provider's own pages, in Debian's
 * Chromium through playwright-core, used as a person would, by their visible labels only. The applications are
 * openid-client relying parties whose redirect URI is a real HTTP server of the test; axe checks every page.
 */

const NEW_PASSWORD = 'Brand-New-Lantern-5';
const VIEWPORT = { width: 1000, height: 760 };

test('the hosted sign-in pages in headless Chromium: sign-in, TOTP, consent, single sign-on, deny, password reset, no JavaScript, axe', {
  timeout: 180_000,
}, async (t) => {
  assertChromium();
  const op = await startIssuer(t);
  const rpServer = await callbackServer(t);
  const callback = `${rpServer.origin}/callback`;
  const photos = await op.application({ name: 'Photo Prints', type: 'web', redirect_uris: [callback] });
  const notesCallback = `${rpServer.origin}/notes/callback`;
  const notes = await op.application({
    name: 'Usher Notes',
    type: 'web',
    first_party: true,
    redirect_uris: [notesCallback],
    post_logout_redirect_uris: [`${rpServer.origin}/signed-out`],
  });
  const photosRp = await op.relyingParty(photos);
  const notesRp = await op.relyingParty(notes);
  const alice = await op.api.user({ first_name: 'Alice', last_name: 'Liddell' });

  let browser: Browser | undefined;
  const contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watchDocuments> }> = [];
  const fresh = async (options: Parameters<Browser['newContext']>[0] = {}) => {
    const context = await browser!.newContext({ viewport: VIEWPORT, colorScheme: 'light', ...options });
    context.setDefaultTimeout(10_000);
    contexts.push({ context, seen: watchDocuments(context, op.issuer) });
    return context.newPage();
  };

  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const page = await fresh();

    await t.test(
      'sign-in: a wrong password shows an error and the form again; the right one asks consent; Allow returns a code',
      async () => {
        const auth = await authorization(photosRp, callback);
        await page.goto(auth.url);
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        assert.match(await page.locator('main').innerText(), /to continue to Photo Prints/);
        await assertAccessible(page, 'sign-in');
        await page.screenshot({ path: '/tmp/usher-hosted-signin.png', fullPage: true });

        await signIn(page, alice.username, 'Wrong-Guess-77');
        const alert = page.getByRole('alert');
        assert.match(await alert.innerText(), /\S/);
        assert.equal(await page.getByLabel('Username or email').inputValue(), alice.username, 'the login is kept');
        assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not');
        await assertAccessible(page, 'sign-in (with an error)');
        await page.screenshot({ path: '/tmp/usher-hosted-signin-error.png', fullPage: true });

        await signIn(page, alice.username, PASSWORD);
        await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
        const consent = await page.locator('main').innerText();
        assert.match(consent, /Photo Prints/);
        assert.match(consent, new RegExp(alice.username));
        assert.match(consent, /Your email address/);
        await assertAccessible(page, 'consent');
        await page.screenshot({ path: '/tmp/usher-hosted-consent.png', fullPage: true });

        await page.getByRole('button', { name: 'Allow' }).click();
        await landedOn(page, callback);
        const hit = rpServer.hits.findLast((url) => url.pathname === '/callback');
        assert.equal(hit?.searchParams.get('state'), auth.state, 'the server of the application got the answer');
        assert.ok(hit?.searchParams.get('code'));
        const tokens = await auth.redeem(page.url());
        const { sub, aud, iss, preferred_username, email, name } = tokens.claims()!;
        assert.deepEqual(
          { sub, aud, iss, preferred_username, email, name },
          {
            sub: alice.id,
            aud: photos.client_id,
            iss: op.issuer,
            preferred_username: alice.username,
            email: alice.email,
            name: 'Alice Liddell',
          },
        );
      },
    );

    let idToken = '';
    await t.test(
      'single sign-on: a first-party application in the same browser needs no sign-in and no consent; prompt=login asks again',
      async () => {
        const visited: string[] = [];
        page.on('framenavigated', (frame) => visited.push(frame.url()));
        const auth = await authorization(notesRp, notesCallback);
        await page.goto(auth.url);
        await landedOn(page, notesCallback);
        assert.deepEqual(
          visited.filter((url) => url.includes('/oidc/interaction/')),
          [],
          'no page was shown',
        );
        const tokens = await auth.redeem(page.url());
        assert.equal(tokens.claims()!.sub, alice.id);
        idToken = tokens.id_token!;

        const again = await authorization(notesRp, notesCallback, { prompt: 'login' });
        await page.goto(again.url);
        await signIn(page, alice.username, PASSWORD);
        await landedOn(page, notesCallback);
        assert.equal((await again.redeem(page.url())).claims()!.sub, alice.id);
      },
    );

    await t.test('the logout confirmation, the device code entry and an error page are accessible', async () => {
      const end = new URL(`${op.issuer}/oidc/session/end`);
      end.searchParams.set('id_token_hint', idToken);
      end.searchParams.set('post_logout_redirect_uri', `${rpServer.origin}/signed-out`);
      await page.goto(end.href);
      await page.getByRole('heading', { name: 'Sign out' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Usher Notes/);
      await assertAccessible(page, 'logout confirmation');
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await landedOn(page, `${rpServer.origin}/signed-out`);

      await page.goto(`${op.issuer}/oidc/device`);
      await page.getByRole('heading', { name: 'Connect a device' }).waitFor();
      await page.getByLabel('Device code').waitFor();
      await assertAccessible(page, 'device code entry');

      const unknown = new URLSearchParams({
        client_id: 'nope',
        response_type: 'code',
        scope: 'openid',
        redirect_uri: callback,
      });
      await page.goto(`${op.issuer}/oidc/auth?${unknown}`);
      await page.getByRole('heading', { name: 'Something went wrong' }).waitFor();
      assert.match(await page.getByRole('alert').innerText(), /not known/);
      await assertAccessible(page, 'error');
    });

    await t.test('Deny returns to the application with error=access_denied', async () => {
      // Alice's consent to Photo Prints is remembered; Carol has not given hers.
      const carol = await op.api.user();
      const denier = await fresh();
      const auth = await authorization(photosRp, callback);
      await denier.goto(auth.url);
      await signIn(denier, carol.username, PASSWORD);
      await denier.getByRole('button', { name: 'Deny' }).click();
      await landedOn(denier, callback);
      const query = new URL(denier.url()).searchParams;
      assert.equal(query.get('error'), 'access_denied');
      assert.equal(query.get('state'), auth.state);
      assert.equal(query.get('code'), null);
    });

    await t.test('a user with TOTP on is asked for the authentication code after the password', async () => {
      const tara = await op.api.user();
      const totp = await turnTotpOn(op.api, tara.token);

      const mfa = await fresh();
      const auth = await authorization(photosRp, callback);
      await mfa.goto(auth.url);
      await signIn(mfa, tara.username, PASSWORD);
      await mfa.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await assertAccessible(mfa, 'TOTP step');
      const now = totp.generate({ timestamp: op.api.clock.now() });
      await mfa.getByLabel('Authentication code').fill(now === '000000' ? '111111' : '000000');
      await mfa.getByRole('button', { name: 'Verify' }).click();
      await mfa.getByRole('alert').waitFor();
      await mfa.getByLabel('Authentication code').fill(now);
      await mfa.getByRole('button', { name: 'Verify' }).click();
      await mfa.getByRole('button', { name: 'Allow' }).click();
      await landedOn(mfa, callback);
      assert.equal((await auth.redeem(mfa.url())).claims()!.sub, tara.id);
    });

    await t.test('"Forgot password?": a mailed code sets a new password, and the sign-in page takes it', async () => {
      const bob = await op.api.user();
      const reset = await fresh();
      const auth = await authorization(photosRp, callback);
      await reset.goto(auth.url);
      await reset.getByRole('link', { name: 'Forgot password?' }).click();
      await reset.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await assertAccessible(reset, 'forgot password');
      await reset.getByLabel('Email').fill(bob.email);
      await reset.getByRole('button', { name: 'Send code' }).click();
      await reset.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await assertAccessible(reset, 'reset');
      await reset.getByLabel('Code').fill(await mailedCode(op.api, bob.email, 'password-reset'));
      await reset.getByLabel('New password').fill(NEW_PASSWORD);
      await reset.getByRole('button', { name: 'Set password' }).click();
      await reset.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
      await signIn(reset, bob.email, NEW_PASSWORD);
      await reset.getByRole('button', { name: 'Allow' }).click();
      await landedOn(reset, callback);
      assert.equal((await auth.redeem(reset.url())).claims()!.sub, bob.id);
      const old = { username: bob.username, password: PASSWORD };
      assert.equal(
        (await op.api.request('POST', '/api/v1/auth/login', { body: old })).status,
        401,
        'the old one is gone',
      );
    });

    await t.test('the whole sign-in works with JavaScript off: Cancel, a wrong password, Enter, Allow', async () => {
      const dave = await op.api.user();
      const plain = await fresh({ javaScriptEnabled: false });
      const cancelled = await authorization(photosRp, callback);
      await plain.goto(cancelled.url);
      await plain.getByRole('button', { name: 'Cancel' }).click();
      await landedOn(plain, callback);
      assert.equal(new URL(plain.url()).searchParams.get('error'), 'access_denied');
      const auth = await authorization(photosRp, callback);
      await plain.goto(auth.url);
      await signIn(plain, dave.email, 'Wrong-Guess-77');
      await plain.getByRole('alert').waitFor();
      await plain.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await plain.getByLabel('Password', { exact: true }).press('Enter');
      await plain.getByRole('button', { name: 'Allow' }).click();
      await landedOn(plain, callback);
      assert.equal((await auth.redeem(plain.url())).claims()!.sub, dave.id);
    });

    await t.test('every hosted page has a CSP without unsafe-inline, no script, and nothing was refused', () => {
      const documents = contexts.flatMap((c) => c.seen.documents);
      const errors = contexts.flatMap((c) => c.seen.errors);
      assertScriptFree(documents, 15);
      assert.deepEqual(errors, []);
    });
  } finally {
    for (const { context } of contexts) await context.close();
    await browser?.close();
  }
});
