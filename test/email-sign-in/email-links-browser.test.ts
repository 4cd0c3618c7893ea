import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { authorization, turnTotpOn } from '../support/hosted-flow.js';
import {
  assertAccessible,
  assertChromium,
  assertScriptFree,
  CHROMIUM,
  callbackServer,
  landedOn,
  watchDocuments,
} from '../support/hosted-browser.js';
import { smtpInbox } from '../support/mail-helper.js';
import { startIssuer } from '../support/oidc.js';

/**
 * Issue 26, part 2, in Debian's Chromium: "Email me a sign-in code" on the hosted sign-in page of an authorization
 * code flow, the mail through a real SMTP server, its link opened (after a mail scanner fetched it, spending
 * nothing), the button, and the application receiving its code; the verification and reset links too. axe on every
 * new page.
 */

const NEW_PASSWORD = 'Quiet-Harbour-Lamp-9';

test('mailed links in Chromium: email sign-in continues the authorization; verify-email and reset-password links', {
  timeout: 120_000,
}, async (t) => {
  assertChromium();
  const inbox = await smtpInbox(t);
  const op = await startIssuer(t, { USHER_EMAIL_SIGN_IN: 'on', SMTP_URL: inbox.url });
  const rpServer = await callbackServer(t);
  const callback = `${rpServer.origin}/callback`;
  const app = await op.application({
    name: 'Garden Planner',
    type: 'web',
    first_party: true,
    redirect_uris: [callback],
  });
  const rp = await op.relyingParty(app);
  const alice = await op.api.register();
  const linkIn = async (to: string) => new URL(/https?:\/\/\S+/.exec((await inbox.next(to)).text ?? '')![0]);
  await inbox.next(alice.email);

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: 'light' });
    context.setDefaultTimeout(10_000);
    const seen = watchDocuments(context, op.issuer);
    const page = await context.newPage();

    await t.test('sign-in page → "Email me a sign-in code" → mail → link → button → the redirect URI', async () => {
      const auth = await authorization(rp, callback);
      await page.goto(auth.url);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await assertAccessible(page, 'sign-in (with the email option)');
      await page.screenshot({ path: '/tmp/usher-email-signin.png', fullPage: true });
      await page.getByRole('link', { name: 'Email me a sign-in code' }).click();
      await page.getByRole('heading', { name: 'Sign in with email' }).waitFor();
      await assertAccessible(page, 'email sign-in (ask)');
      await page.getByLabel('Email').fill(alice.email);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
      await assertAccessible(page, 'email sign-in (code)');
      await page.screenshot({ path: '/tmp/usher-email-code.png', fullPage: true });

      const link = await linkIn(alice.email);
      assert.match(link.pathname, /^\/oidc\/interaction\/[^/]+\/email$/, 'the link comes back to this interaction');
      assert.equal(link.origin, op.issuer);
      // A mail scanner fetches the link (no cookies of the person's browser): nothing is spent.
      const scanned = await fetch(link, { headers: { 'user-agent': 'LinkScanner/2.0' } });
      assert.equal(scanned.status, 400);
      assert.doesNotMatch(await scanned.text(), /<form method="post"/);

      await page.goto(link.href);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.match(await page.locator('main').innerText(), /to continue to Garden Planner/);
      await assertAccessible(page, 'email sign-in (link)');
      await page.screenshot({ path: '/tmp/usher-email-link.png', fullPage: true });
      await page.getByRole('button', { name: 'Sign in' }).click();
      await landedOn(page, callback);
      const tokens = await auth.redeem(page.url());
      assert.equal(tokens.claims()?.sub, alice.id);
      const login = await op.api.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('target_id', '=', alice.id)
        .where('type', '=', 'user.login')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(String(login.details)).method, 'email');
    });

    await t.test('with TOTP: the code typed on the page, a wrong one first, then the second factor', async () => {
      const carol = await op.api.register();
      await inbox.next(carol.email);
      const totp = await turnTotpOn(op.api, (await op.api.login(carol.username)).access_token);
      // A browser of carol's own (this one is signed in as alice).
      const other = await browser!.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: 'light' });
      other.setDefaultTimeout(10_000);
      const page = await other.newPage();
      const auth = await authorization(rp, callback);
      await page.goto(auth.url);
      await page.getByRole('link', { name: 'Email me a sign-in code' }).click();
      await page.getByLabel('Email').fill(carol.email);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      const code = inbox.codeIn(await inbox.next(carol.email));
      await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.match(await page.getByRole('alert').innerText(), /wrong, was used already, or has expired/);
      await assertAccessible(page, 'email sign-in (wrong code)');
      await page.getByLabel('Code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await page.getByLabel('Authentication code').fill(totp.generate({ timestamp: op.api.clock.now() }));
      await page.getByRole('button', { name: 'Verify' }).click();
      await landedOn(page, callback);
      assert.equal((await auth.redeem(page.url())).claims()?.sub, carol.id);
      const logins = await op.api.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('target_id', '=', carol.id)
        .where('type', '=', 'user.login')
        .execute();
      // The password login that turned TOTP on, and this one (the test's clock stands still: no order by time).
      const methods = logins.map((l) => JSON.parse(String(l.details)).method).sort();
      assert.deepEqual(methods, ['email', 'password']);
      await other.close();
    });

    await t.test('the verification link: a button that verifies', async () => {
      const bob = await op.api.register();
      const link = await linkIn(bob.email);
      assert.equal(link.pathname, '/auth/mail/verify-email');
      await page.goto(link.href);
      await page.getByRole('heading', { name: 'Verify your email address' }).waitFor();
      await assertAccessible(page, 'verify-email link');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Address verified' }).waitFor();
      await assertAccessible(page, 'address verified');
    });

    await t.test('the reset link: the new password, then the sign-in works with it', async () => {
      const asked = await op.api.request('POST', '/api/v1/auth/password-reset/request', {
        body: { email: alice.email },
      });
      assert.equal(asked.status, 202);
      const link = await linkIn(alice.email);
      assert.equal(link.pathname, '/auth/mail/reset-password');
      await page.goto(link.href);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await assertAccessible(page, 'reset-password link');
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.screenshot({ path: '/tmp/usher-email-reset.png', fullPage: true });
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('heading', { name: 'Password changed' }).waitFor();
      await op.api.login(alice.username, NEW_PASSWORD);
      // The link again: its code is spent, and the page offers a new mail.
      await page.goto(link.href);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('button', { name: 'Send a new link' }).waitFor();
      assert.match(await page.getByRole('alert').innerText(), /was used already, or has expired/);
      await assertAccessible(page, 'a used link');
    });

    await t.test("the console's sign-in: an admin asks for a code by mail and signs in with it", async () => {
      const console = await context.newPage();
      await console.goto(`${op.issuer}/console`);
      await console.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await console.getByRole('button', { name: 'Email me a sign-in code' }).click();
      await console.getByLabel('Email', { exact: true }).fill('root@example.com');
      await console.getByRole('button', { name: 'Email me a code' }).click();
      const code = /\b(\d{6})\b/.exec((await inbox.next('root@example.com')).text ?? '')![1]!;
      await console.getByLabel('Code from the mail').fill(code);
      await assertAccessible(console, 'console sign-in (email code)');
      await console.screenshot({ path: '/tmp/usher-email-console.png', fullPage: true });
      await console.getByRole('button', { name: 'Sign in with the code' }).click();
      // An admin lands on the dashboard.
      await console.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await console.close();
    });

    await t.test("a link asked through /api/v1 by an admin: its button opens the console's session", async () => {
      const other = await browser!.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: 'light' });
      other.setDefaultTimeout(10_000);
      const fresh = await other.newPage();
      const asked = await op.api.request('POST', '/api/v1/auth/email-sign-in/request', {
        body: { email: 'root@example.com' },
      });
      assert.equal(asked.status, 202);
      const link = await linkIn('root@example.com');
      assert.equal(link.pathname, '/auth/mail/sign-in');
      await fresh.goto(link.href);
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      await fresh.getByRole('heading', { name: 'You are signed in' }).waitFor();
      await assertAccessible(fresh, 'signed in by link');
      await fresh.getByRole('link', { name: 'Open the console' }).click();
      await fresh.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await other.close();
    });

    assertScriptFree(
      seen.documents.filter((d) => !d.url.includes('/console')),
      8,
    );
    assert.deepEqual(seen.errors, []);
  } finally {
    await browser?.close();
  }
});
