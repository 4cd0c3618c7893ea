import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import * as client from 'openid-client';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PASSWORD, type TestApp } from '../support/helper.js';
import {
  assertAccessible,
  assertChromium,
  CHROMIUM,
  callbackServer,
  type HostedDocument,
  watchDocuments,
} from '../support/hosted-browser.js';
import { startIssuer } from '../support/oidc.js';

/**
 * Issue 25, part 3: the hosted sign-in pages (src/surfaces/hosted/) and the provider's own pages, in Debian's
 * Chromium through playwright-core, used as a person would, by their visible labels only. The applications are
 * openid-client relying parties whose redirect URI is a real HTTP server of the test; axe checks every page.
 */

const NEW_PASSWORD = 'Brand-New-Lantern-5';
const totpOf = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });

/** A pending authorization: its URL (code + PKCE S256, state, nonce) and what redeeming its code needs. */
async function authorization(rp: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const redeem = (landed: string) =>
    client.authorizationCodeGrant(rp, new URL(landed), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
  return { url: url.href, state, redeem };
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The code of the last mail of `template` to `to`, from the mail outbox (where every mail waits to be sent). */
async function mailedCode(api: TestApp, to: string, template: string): Promise<string> {
  const rows = await api.database.db
    .selectFrom('mail_outbox')
    .select(['data'])
    .where('to_address', '=', to)
    .where('template', '=', template)
    .orderBy('created_at')
    .execute();
  assert.ok(rows.length > 0, `a ${template} mail to ${to}`);
  return (JSON.parse(rows.at(-1)!.data) as { code: string }).code;
}

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
    const context = await browser!.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: 'light', ...options });
    context.setDefaultTimeout(10_000);
    contexts.push({ context, seen: watchDocuments(context, op.issuer) });
    return context.newPage();
  };
  const landedOn = (page: Page, uri: string) =>
    page.waitForURL((url) => url.href.split('?')[0] === uri).catch(async (error: Error) => {
      throw new Error(`not at ${uri} but ${page.url()}: ${await page.locator('body').innerText()}`, { cause: error });
    });

  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const page = await fresh();

    await t.test('sign-in: a wrong password shows an error and the form again; the right one asks consent; Allow returns a code', async () => {
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
      const claims = tokens.claims()!;
      assert.equal(claims.sub, alice.id);
      assert.equal(claims.aud, photos.client_id);
      assert.equal(claims.iss, op.issuer);
      assert.equal(claims.preferred_username, alice.username);
      assert.equal(claims.email, alice.email);
      assert.equal(claims.name, 'Alice Liddell');
    });

    let idToken = '';
    await t.test('single sign-on: a first-party application in the same browser needs no sign-in and no consent; prompt=login asks again', async () => {
      const visited: string[] = [];
      page.on('framenavigated', (frame) => visited.push(frame.url()));
      const auth = await authorization(notesRp, notesCallback);
      await page.goto(auth.url);
      await landedOn(page, notesCallback);
      assert.deepEqual(visited.filter((url) => url.includes('/oidc/interaction/')), [], 'no page was shown');
      const tokens = await auth.redeem(page.url());
      assert.equal(tokens.claims()!.sub, alice.id);
      idToken = tokens.id_token!;

      const again = await authorization(notesRp, notesCallback, { prompt: 'login' });
      await page.goto(again.url);
      await signIn(page, alice.username, PASSWORD);
      await landedOn(page, notesCallback);
      assert.equal((await again.redeem(page.url())).claims()!.sub, alice.id);
    });

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

      const unknown = new URL(`${op.issuer}/oidc/auth`);
      for (const [k, v] of Object.entries({ client_id: 'no-such-app', response_type: 'code', scope: 'openid' }))
        unknown.searchParams.set(k, v);
      unknown.searchParams.set('redirect_uri', callback);
      await page.goto(unknown.href);
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
      const setup = await op.api.request('POST', '/api/v1/auth/mfa/totp', { token: tara.token, body: { password: PASSWORD } });
      assert.equal(setup.status, 200, setup.raw);
      const totp = totpOf(setup.body.data.secret);
      // Confirmed with the previous step's code, so the current one is still unused for the sign-in.
      const confirmed = await op.api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
        token: tara.token,
        body: { code: totp.generate({ timestamp: op.api.clock.now() - 30_000 }) },
      });
      assert.equal(confirmed.status, 200, confirmed.raw);

      const mfa = await fresh();
      const auth = await authorization(photosRp, callback);
      await mfa.goto(auth.url);
      await signIn(mfa, tara.username, PASSWORD);
      await mfa.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await assertAccessible(mfa, 'TOTP step');
      await mfa.getByLabel('Authentication code').fill('000000' === totp.generate({ timestamp: op.api.clock.now() }) ? '111111' : '000000');
      await mfa.getByRole('button', { name: 'Verify' }).click();
      await mfa.getByRole('alert').waitFor();
      await mfa.getByLabel('Authentication code').fill(totp.generate({ timestamp: op.api.clock.now() }));
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
      assert.equal((await op.api.request('POST', '/api/v1/auth/login', { body: { username: bob.username, password: PASSWORD } })).status, 401);
    });

    await t.test('the whole sign-in works with JavaScript off', async () => {
      const dave = await op.api.user();
      const plain = await fresh({ javaScriptEnabled: false });
      const auth = await authorization(photosRp, callback);
      await plain.goto(auth.url);
      await signIn(plain, dave.email, 'Wrong-Guess-77');
      await plain.getByRole('alert').waitFor();
      await signIn(plain, dave.email, PASSWORD);
      await plain.getByRole('button', { name: 'Allow' }).click();
      await landedOn(plain, callback);
      assert.equal((await auth.redeem(plain.url())).claims()!.sub, dave.id);
    });

    await t.test('every hosted page has a CSP without unsafe-inline, no script, and nothing was refused', () => {
      const documents: HostedDocument[] = contexts.flatMap((c) => c.seen.documents);
      assert.ok(documents.length >= 15, `pages seen: ${documents.map((d) => d.url).join(', ')}`);
      for (const d of documents) {
        assert.ok(d.csp, `a CSP on ${d.url}`);
        assert.doesNotMatch(d.csp, /unsafe-inline|unsafe-eval/, d.url);
        assert.match(d.csp, /default-src 'none'/, d.url);
        assert.doesNotMatch(d.csp, /script-src/, `no script allowed on ${d.url}`);
        assert.doesNotMatch(d.body, /<script/i, `no script in ${d.url}`);
      }
      assert.deepEqual(contexts.flatMap((c) => c.seen.errors), []);
    });
  } finally {
    for (const { context } of contexts) await context.close();
    await browser?.close();
  }
});
