import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { PASSWORD, build } from '../support/helper.js';
import { serious } from '../support/console-axe.js';

/**
 * The console's custom attributes in Debian's Chromium against a real listening server: an admin sets the user
 * schema (a schema a user breaks is refused naming them, then saved anyway), edits a user's custom data (a value the
 * schema refuses shows its field error, nothing saved; a good one is saved); a moderator reads it as JSON; axe finds
 * nothing serious. Screenshots in /tmp/usher-console-custom-data.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/usher-console-custom-data';

async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

test('custom data and the user schema in the console: schema refused then forced, custom data edited, axe', {
  timeout: 120_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}`);
  mkdirSync(SHOTS, { recursive: true });
  const api = await build(t, {}, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await api.admin();
  const moderator = await api.withRole('moderator');
  const target = await api.register();
  await api.request('PATCH', `/api/v1/users/${target.id}`, {
    token: admin.token,
    body: { custom_data: { plan: 'gold' } },
  });
  const stored = async () =>
    (
      await api.database.db
        .selectFrom('users')
        .select('custom_data')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow()
    ).custom_data;

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
    await signIn(page, base, 'root_admin');

    await page.getByRole('link', { name: 'User schema' }).click();
    await page.getByRole('heading', { level: 1, name: 'User schema' }).waitFor();
    const schema = {
      type: 'object',
      properties: { plan: { enum: ['free', 'pro'] }, nickname: { type: 'string', 'x-user-editable': true } },
    };
    await page.getByLabel('JSON Schema').fill(JSON.stringify(schema, null, 2));
    await page.getByRole('button', { name: 'Save schema' }).click();
    await page.getByText("These users' custom data does not match the new schema").waitFor();
    assert.ok(await page.getByRole('link', { name: target.id }).isVisible());
    assert.deepEqual(await serious(page), []);
    await page.screenshot({ path: `${SHOTS}/schema-refused.png`, fullPage: true });
    await page.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText('Saved, although some users do not match it.').waitFor();
    const saved = await api.request('GET', '/api/v1/user-schema', { token: admin.token });
    assert.deepEqual(saved.body.data.schema, schema);

    await page.goto(`${base}/console/users/${target.id}`);
    await page.getByRole('heading', { level: 1, name: target.username }).waitFor();
    const box = page.getByLabel('Custom data (JSON object, at most 16 KiB)');
    assert.deepEqual(JSON.parse(await box.inputValue()), { plan: 'gold' });
    await box.fill('{"plan": "platinum"}');
    await page.getByRole('button', { name: 'Update custom data' }).click();
    await page.getByText(/custom data\.plan: must be one of "free", "pro"/).waitFor();
    assert.equal(await stored(), '{"plan":"gold"}');
    await box.fill('[1]');
    await page.getByRole('button', { name: 'Update custom data' }).click();
    await page.getByText('Custom data must be a JSON object').waitFor();
    await box.fill('{"plan": "pro", "nickname": "Kay"}');
    await page.getByRole('button', { name: 'Update custom data' }).click();
    await page.getByText('Custom data saved.').waitFor();
    assert.deepEqual(JSON.parse((await stored())!), { plan: 'pro', nickname: 'Kay' });
    assert.deepEqual(await serious(page), []);
    await page.screenshot({ path: `${SHOTS}/user-custom-data.png`, fullPage: true });

    // A moderator reads the JSON, with no editor.
    const mod = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await signIn(mod, base, moderator.username);
    await mod.goto(`${base}/console/users/${target.id}`);
    await mod.getByRole('heading', { level: 2, name: 'Custom attributes' }).waitFor();
    assert.match(await mod.getByRole('figure', { name: 'Custom data' }).innerText(), /"nickname": "Kay"/);
    assert.equal(await mod.getByRole('button', { name: 'Update custom data' }).count(), 0);
    assert.deepEqual(await serious(mod), []);
  } finally {
    await browser?.close();
  }
});
