import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { PASSWORD, build } from '../support/helper.js';
import { receiver } from '../support/webhook-receiver.js';
import { serious } from '../support/console-axe.js';

/**
 * The console's Webhooks page in Debian's Chromium against a real listening server and a real receiver: an admin adds
 * an endpoint (its secret shown once, and it signs what arrives), sends a test event, sees the delivery, resends it
 * (same webhook-id) and deletes the endpoint; a moderator reads only; axe finds nothing serious. Screenshots in /tmp.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/usher-console-webhooks';

async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
};

test('the Webhooks page in Chromium: add with the secret once, test, deliveries, resend, delete; moderators read; axe', {
  timeout: 120_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  const hook = await receiver();
  t.after(() => hook.down());
  const api = await build(t, { USHER_WEBHOOK_ALLOW_PRIVATE: 'on' }, { now: Date.now, webhookPollMs: 100 });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const moderator = await api.withRole('moderator');
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      bypassCSP: true,
    });
    ctx.setDefaultTimeout(10_000);
    const page = await ctx.newPage();
    const uncaught: string[] = [];
    page.on('pageerror', (e) => uncaught.push(e.message));
    await signIn(page, base, 'root_admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('No webhook endpoints yet.').waitFor();

    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('URL').fill(hook.url);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByLabel('user.created').check();
    await page.getByRole('button', { name: 'Add' }).click();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    assert.match(secret, /^whsec_/);
    await page.screenshot({ path: `${SHOTS}-secret.png`, fullPage: true });
    assert.deepEqual(await serious(page), []);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'user.created' }).waitFor();

    await page.getByRole('button', { name: `Send a test event to ${hook.url}` }).click();
    await page.getByText(/webhook\.test event is on its way/).waitFor();
    await until(() => hook.accepted.length > 0);
    assert.equal(hook.accepted.length, 1);
    hook.verify(hook.accepted[0]!, secret);
    await page.getByRole('button', { name: `Deliveries to ${hook.url}` }).click();
    await page
      .getByRole('table', { name: `Recent deliveries to ${hook.url}` })
      .getByText('Succeeded')
      .waitFor();
    await page.getByRole('button', { name: /^Resend webhook\.test/ }).click();
    await page.getByText(/queued again, with the same webhook-id/).waitFor();
    await until(() => hook.accepted.length > 1);
    assert.equal(hook.accepted[1]!.headers['webhook-id'], hook.accepted[0]!.headers['webhook-id']);
    await page.screenshot({ path: `${SHOTS}-deliveries.png`, fullPage: true });
    assert.deepEqual(await serious(page), []);

    // A moderator reads, and is offered no change.
    const mod = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signIn(mod, base, moderator.username);
    await mod.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await mod.getByText(hook.url).waitFor();
    assert.equal(await mod.getByRole('button', { name: 'New endpoint' }).count(), 0);
    assert.equal(await mod.getByRole('button', { name: /^Delete/ }).count(), 0);

    await page.getByRole('button', { name: `Delete ${hook.url}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No webhook endpoints yet.').waitFor();
    const left = await api.request('GET', '/api/v1/webhooks', { token: (await api.admin()).token });
    assert.equal(left.body.data.length, 0);
    assert.deepEqual(uncaught, []);
  } finally {
    await browser?.close();
  }
});
