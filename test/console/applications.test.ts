import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { hashSecret } from '../../src/core/security/secrets.js';
import { PASSWORD, build } from '../support/helper.js';
import { serious } from '../support/console-axe.js';

/**
 * The console's Applications page in Debian's Chromium (playwright-core, never a downloaded browser), against a real
 * listening server: an admin creates an application (its secret shown once, copied), edits its redirect URIs, rotates
 * its secret and deletes it, each checked through the API and the database; a moderator reads only; axe finds nothing
 * serious. The list's screenshot is the README's (docs/images); the others go to /tmp.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/usher-console-applications';
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

test('the Applications page in Chromium: create with the secret once, edit redirect URIs, rotate, delete; moderators read; axe', {
  timeout: 120_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  const api = await build(t, {}, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await api.admin();
  const moderator = await api.withRole('moderator');
  const asAdmin = (url: string) => api.request('GET', url, { token: admin.token });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    // axe goes in as a script tag the page's CSP refuses, so these contexts bypass CSP.
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      bypassCSP: true,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    ctx.setDefaultTimeout(10_000);
    const page = await ctx.newPage();
    const uncaught: string[] = [];
    page.on('pageerror', (e) => uncaught.push(e.message));
    await signIn(page, base, 'root_admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    await page.getByText('No applications yet.').waitFor();

    // A refused form says why, and writes nothing.
    await page.getByRole('button', { name: 'New application' }).click();
    await page.getByLabel('Name').fill('Shop');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('http://shop.example.com/callback');
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('alert')
      .getByText(/redirect uris: redirect_uris\[0\] must use https/)
      .waitFor();
    assert.equal((await asAdmin('/api/v1/applications')).body.data.length, 0);

    await page
      .getByLabel('Redirect URIs', { exact: true })
      .fill('https://shop.example.com/callback\n\nhttp://localhost:3000/callback\n');
    await page.getByLabel('Post-logout redirect URIs (optional)').fill('https://shop.example.com/');
    await page.getByLabel('First-party (skips the consent screen)').check();
    assert.deepEqual(await serious(page), [], 'the new application form');
    await page.getByRole('button', { name: 'Create' }).click();
    const secretField = page.getByLabel('Client secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    assert.match(secret, /^usher_cs_/);
    const clientId = await page.getByLabel('Client ID').inputValue();
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await inPage(page, 'navigator.clipboard.readText()'), secret);
    assert.deepEqual(await serious(page), [], 'the secret, shown once');
    await page.screenshot({ path: `${SHOTS}-secret.png` });
    const [made] = (await asAdmin('/api/v1/applications')).body.data;
    assert.equal(made.client_id, clientId);
    assert.equal(made.first_party, true);
    assert.deepEqual(made.redirect_uris, ['https://shop.example.com/callback', 'http://localhost:3000/callback']);
    assert.deepEqual(made.post_logout_redirect_uris, ['https://shop.example.com/']);
    const row = await api.database.db.selectFrom('applications').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, hashSecret(secret), 'stored as its hash');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');
    await page.getByRole('cell', { name: clientId }).waitFor();

    // A public client: no secret.
    await page.getByRole('button', { name: 'New application' }).click();
    await page.getByLabel('Name').fill('Phone');
    await page.getByLabel('Type').selectOption('native');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('com.example.phone:/callback');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('it has no secret and proves itself with PKCE').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Delete Phone' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Rotate secret of Phone' }).count(), 0);

    // Edit the redirect URIs in a dialog.
    await page.getByRole('button', { name: 'Edit URIs of Shop' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Redirect URIs of Shop' }).waitFor();
    assert.equal(
      await dialog.getByLabel('Redirect URIs', { exact: true }).inputValue(),
      'https://shop.example.com/callback\nhttp://localhost:3000/callback',
    );
    await dialog.getByLabel('Redirect URIs', { exact: true }).fill('https://shop.example.com/#frag');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/fragment/)
      .waitFor();
    assert.deepEqual(await serious(page), [], 'the edit dialog');
    await dialog.getByLabel('Redirect URIs', { exact: true }).fill('https://shop.example.com/auth/callback');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Redirect URIs of Shop saved.').waitFor();
    await page.getByRole('cell', { name: 'https://shop.example.com/auth/callback' }).waitFor();
    const edited = (await asAdmin(`/api/v1/applications/${made.id}`)).body.data;
    assert.deepEqual(edited.redirect_uris, ['https://shop.example.com/auth/callback']);
    assert.deepEqual(edited.post_logout_redirect_uris, ['https://shop.example.com/']);

    // Rotate: confirmed, the new secret shown once, the old one refused.
    await page.getByRole('button', { name: 'Rotate secret of Shop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'New secret for Shop' }).waitFor();
    const rotated = await page.getByLabel('Client secret').inputValue();
    assert.notEqual(rotated, secret);
    assert.equal(await api.app.core.applications.checkSecret(clientId, secret), false);
    assert.ok(await api.app.core.applications.checkSecret(clientId, rotated));
    await page.getByRole('button', { name: 'Done' }).click();
    await page.screenshot({ path: `${IMAGES}console-applications.png`, animations: 'disabled', caret: 'hide' });

    // Delete, after a confirmation that starts on Cancel.
    await page.getByRole('button', { name: 'Delete Shop' }).click();
    await page.getByRole('dialog').getByRole('heading', { name: 'Delete Shop?' }).waitFor();
    assert.equal(await inPage(page, 'document.activeElement?.textContent'), 'Cancel');
    assert.deepEqual(await serious(page), [], 'the delete confirmation');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Application Shop deleted').waitFor();
    assert.equal((await asAdmin(`/api/v1/applications/${made.id}`)).status, 404);
    assert.deepEqual(uncaught, []);

    // A moderator reads the list and changes nothing.
    const modCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    modCtx.setDefaultTimeout(10_000);
    const modPage = await modCtx.newPage();
    await signIn(modPage, base, moderator.username);
    await modPage.getByRole('navigation').getByRole('link', { name: 'Applications' }).click();
    await modPage.getByRole('cell', { name: 'Phone', exact: true }).waitFor();
    await modPage.getByText('Only admins may change them.').waitFor();
    assert.equal(await modPage.getByRole('button', { name: 'New application' }).count(), 0);
    assert.equal(await modPage.getByRole('button', { name: /Delete|Rotate|Edit/ }).count(), 0);
    assert.deepEqual(await serious(modPage), [], "the moderator's view");
    await modPage.screenshot({ path: `${SHOTS}-moderator.png` });
  } finally {
    await browser?.close();
  }
});
