import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, assertAccessible, assertChromium } from '../support/hosted-browser.js';
import { REDIRECT, freePort, startIssuer } from '../support/oidc.js';
import { startLocalIdp } from '../support/upstream-idp.js';
import { authorization } from '../support/hosted-flow.js';

/**
 * The "Sign in with <provider>" buttons in Chromium: on the hosted sign-in page (back at the application with a code)
 * and on the console's sign-in (back in the console, signed in). One browser, one Usher, one upstream.
 */
test('upstream sign-in buttons in Chromium: the hosted page and the console', async (t) => {
  assertChromium();
  const idpPort = await freePort();
  const op = await startIssuer(t, { USHER_OUTBOUND_ALLOW_PRIVATE: 'on' });
  const admin = await op.api.admin();
  const made = await op.api.request('POST', '/api/v1/identity-providers', {
    token: admin.token,
    body: {
      type: 'oidc',
      issuer: `http://127.0.0.1:${idpPort}`,
      client_id: 'usher',
      client_secret: 's3',
      display_name: 'Acme ID',
    },
  });
  const provider = made.body.data;
  const idp = await startLocalIdp(
    [{ client_id: 'usher', client_secret: 's3', redirect_uris: [provider.redirect_uri] }],
    idpPort,
  );
  t.after(() => idp.close());
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT], first_party: true });
  const rp = await op.relyingParty(app);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  t.after(() => browser.close());

  await t.test('the hosted page: the button, the upstream, back at the application as a new user', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let landed = '';
    await page.route(`${REDIRECT}**`, (route) => {
      landed = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the application' });
    });
    idp.as({ sub: 'zoe-1', email: 'zoe@acme.test', email_verified: true, preferred_username: 'zoe' });
    const pending = await authorization(rp, REDIRECT, { scope: 'openid email' });
    await page.goto(pending.url);
    const button = page.getByRole('button', { name: 'Sign in with Acme ID' });
    await button.waitFor();
    await assertAccessible(page, 'sign-in with a provider');
    await page.screenshot({ path: '/tmp/upstream-hosted.png' });
    await button.click();
    await page.waitForURL(`${REDIRECT}**`);
    const tokens = await pending.redeem(landed);
    assert.equal(tokens.claims()?.email, 'zoe@acme.test');
    await context.close();
  });

  await t.test('the console: the button signs the admin in (verified email) and shows the providers page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    idp.as({ sub: 'root-1', email: 'root@example.com', email_verified: true });
    await page.goto(`${op.issuer}/console/`);
    const link = page.getByRole('link', { name: 'Sign in with Acme ID' });
    await link.waitFor();
    await page.screenshot({ path: '/tmp/upstream-console-signin.png' });
    await link.click();
    await page.getByRole('link', { name: 'Identity providers' }).click();
    await page.getByRole('heading', { name: 'Identity providers' }).waitFor();
    await page.getByText(provider.redirect_uri).waitFor();
    await page.screenshot({ path: '/tmp/upstream-console-idps.png', fullPage: true });
    await context.close();
  });
});
