import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { type Browser, type Page, chromium } from 'playwright-core';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, build, freshDatabaseUrl, tempDir } from '../support/helper.js';
import { authorization } from '../support/hosted-flow.js';
import {
  CHROMIUM,
  assertAccessible,
  assertChromium,
  assertScriptFree,
  callbackServer,
  landedOn,
  watchDocuments,
} from '../support/hosted-browser.js';
import { freePort } from '../support/oidc.js';

/**
 * Issue 26, part 1, as it will be checked: Chromium with its virtual authenticator (CDP WebAuthn) registers a passkey
 * on the console's My account page of instance A, signs out, signs in with it on the console of instance B and on
 * the hosted sign-in page (an authorization-code flow with PKCE), and an admin removes it. Two instances over one
 * database, on `localhost` (browsers refuse an IP address as a relying party's id).
 */

const SHOTS = '/tmp';

async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    /** Whether the person touches the authenticator at once (off: a ceremony waits until it is on again). */
    presence: (enabled: boolean) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled }),
  };
}

test('passkeys in Chromium: add on the console of A, sign in on the console of B and on the hosted page, admin removes', {
  timeout: 120_000,
}, async (t) => {
  assertChromium();
  const [portA, portB] = [await freePort(), await freePort()];
  const [originA, originB] = [`http://localhost:${portA}`, `http://localhost:${portB}`];
  const url =
    process.env.USHER_TEST_DIALECT === 'postgres'
      ? await freshDatabaseUrl(t)
      : `sqlite:${tempDir('passkeys')}/usher.db`;
  const env = (port: number) => ({
    PORT: String(port),
    DATABASE_URL: url,
    USHER_ISSUER: originA,
    USHER_WEBAUTHN_RP_ID: 'localhost',
    USHER_WEBAUTHN_ORIGINS: `${originA},${originB}`,
  });
  const [dbA, dbB] = [createDatabase(url), createDatabase(url)];
  t.after(() => Promise.all([dbA.close(), dbB.close()]));
  const a = await build(t, env(portA), { database: dbA });
  const b = await build(t, env(portB), { database: dbB });
  await a.app.listen({ port: portA, host: 'localhost' });
  await b.app.listen({ port: portB, host: 'localhost' });

  const admin = await a.admin();
  const mod = await a.withRole('moderator', { first_name: 'Mia' });
  const rpServer = await callbackServer(t);
  const callback = `${rpServer.origin}/callback`;
  const made = await a.request('POST', '/api/v1/applications', {
    token: admin.token,
    body: { name: 'Notes', type: 'web', first_party: true, redirect_uris: [callback] },
  });
  assert.equal(made.status, 201, made.raw);
  const rp = await client.discovery(
    new URL(originA),
    made.body.data.client_id,
    undefined,
    client.ClientSecretBasic(made.body.data.client_secret),
    { execute: [client.allowInsecureRequests] },
  );

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, colorScheme: 'light' });
    context.setDefaultTimeout(15_000);
    const seen = watchDocuments(context, originB);
    const page = await context.newPage();
    const device = await virtualAuthenticator(page);

    await t.test('My account on A: add a passkey (linked from the signed-in name)', async () => {
      await page.goto(`${originA}/console`);
      await page.getByLabel('Username or email').fill(mod.username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.locator('header').getByRole('link', { name: mod.username }).click();
      await page.getByRole('heading', { name: 'My account' }).waitFor();
      await page.getByText('No passkeys yet.').waitFor();
      await page.getByLabel('Name (optional)').fill('Test laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByText('Passkey "Test laptop" added.').waitFor();
      await page.getByRole('cell', { name: 'Test laptop', exact: true }).waitFor();
      assert.equal((await device.credentials()).length, 1);
      const listed = await a.request('GET', `/api/v1/users/${mod.id}/passkeys`, { token: admin.token });
      assert.deepEqual(
        listed.body.data.map((p: { name: string }) => p.name),
        ['Test laptop'],
      );
      await assertAccessible(page, 'My account');
      await page.screenshot({ path: `${SHOTS}/usher-console-my-account.png`, fullPage: true });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    });

    await t.test('the console of B: Sign in with a passkey', async () => {
      await page.goto(`${originB}/console`);
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await assertAccessible(page, 'console sign-in');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.locator('header').getByRole('link', { name: mod.username }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    });

    await t.test(
      "the hosted sign-in page of B: the browser's passkey autofill finishes the authorization",
      async () => {
        // The virtual authenticator answers the username field's passkey request (conditional UI) at once, as a person
        // picking the passkey from the field's suggestions would: the page signs in without a click.
        const auth = await authorization(rp, callback, { prompt: 'login' });
        await page.goto(auth.url.replace(originA, originB));
        await landedOn(page, callback);
        const tokens = await auth.redeem(page.url().replace(originB, originA));
        assert.equal(tokens.claims()!.sub, mod.id);
      },
    );

    await t.test('the hosted sign-in page of B: Sign in with a passkey finishes the authorization', async () => {
      await device.presence(false);
      const auth = await authorization(rp, callback, { prompt: 'login' });
      await page.goto(auth.url.replace(originA, originB));
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await page.getByLabel('Username or email').getAttribute('autocomplete'), 'username webauthn');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
      await assertAccessible(page, 'hosted sign-in with passkeys');
      await page.screenshot({ path: `${SHOTS}/usher-hosted-passkey.png`, fullPage: true });
      // The button's ceremony replaces the waiting autofill's, and the person touches the authenticator.
      await device.presence(true);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await landedOn(page, callback);
      const tokens = await auth.redeem(page.url().replace(originB, originA));
      assert.equal(tokens.claims()!.sub, mod.id);
      const logins = await a.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('type', '=', 'user.login')
        .where('target_id', '=', mod.id)
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        logins.map((e) => JSON.parse(e.details).method),
        // The helper's and the console's password sign-ins, then the console of B, the autofill and the button.
        ['password', 'password', 'passkey', 'passkey', 'passkey'],
      );
      assertScriptFree(
        seen.documents.filter((d) => d.url.includes('/oidc/')),
        2,
      );
      assert.deepEqual(seen.errors, []);
    });

    await t.test("an admin removes it on the user's page", async () => {
      await page.goto(`${originA}/console/users/${mod.id}`);
      await page.getByLabel('Username or email').fill('root_admin');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
      await page.getByRole('button', { name: 'Remove passkey Test laptop' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove passkey' }).click();
      await page.getByText('No passkeys.').waitFor();
      const listed = await a.request('GET', `/api/v1/users/${mod.id}/passkeys`, { token: admin.token });
      assert.deepEqual(listed.body.data, []);
    });
  } finally {
    await browser?.close();
  }
});
