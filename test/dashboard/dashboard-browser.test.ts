import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { PASSWORD, type TestApp, build } from '../support/helper.js';

/**
 * The dashboard in Debian's Chromium (playwright-core, never a downloaded browser) against a real listening server
 * whose clock walks through 30 days of sign-ups, sign-ins and failures first: admins and moderators land on it,
 * its figures are the API's, each chart is an SVG image with a summary and a table behind a <details>, axe finds
 * nothing serious in either theme; a plain user is still refused by the console. Its screenshot is the README's.
 */

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const DAY = 86_400_000;

async function serious(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: {
        run(): Promise<{
          violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
        }>;
      };
    };
    return (await axe.run()).violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      targets: nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** 30 days of traffic through the API, a few requests a day, on the app's clock; it ends at the real now. */
async function traffic(api: TestApp): Promise<void> {
  const people: string[] = [];
  for (let day = 29; day >= 0; day--) {
    const signUps = 1 + (day % 3 === 0 ? 1 : 0);
    for (let i = 0; i < signUps; i++) people.push((await api.register()).username);
    const signIns = 1 + ((day * 7) % 4);
    for (let i = 0; i < signIns; i++) await api.login(people[(day + i) % people.length]!);
    if (day % 4 === 1) {
      const bad = await api.request('POST', '/api/v1/auth/login', {
        body: { username: people[0], password: 'Not-the-password-1' },
      });
      assert.equal(bad.status, 401);
    }
    api.clock.advance(day === 0 ? 0 : DAY);
  }
}

test('the dashboard in Chromium: the landing page of admins and moderators, its figures, charts and tables, axe', {
  timeout: 180_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  const api = await build(t);
  api.clock.advance(-29 * DAY);
  await traffic(api);
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const moderator = await api.withRole('moderator');
  const plain = await api.user();
  const admin = await api.admin();
  const summaryNow = async () => (await api.request('GET', '/api/v1/stats/summary', { token: admin.token })).body.data;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    // axe goes in as a script tag the page's CSP refuses, so the contexts bypass CSP.
    const context = async (colorScheme: 'light' | 'dark') => {
      const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, bypassCSP: true });
      ctx.setDefaultTimeout(10_000);
      return ctx;
    };

    await t.test('an admin opening /console lands on the dashboard, which shows the API figures', async () => {
      const ctx = await context('light');
      const page = await ctx.newPage();
      const uncaught: string[] = [];
      page.on('pageerror', (e) => uncaught.push(e.message));
      await signIn(page, base, 'root_admin');
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await page.waitForURL((url) => url.pathname === '/console/dashboard');
      await page.getByRole('img').first().waitFor();
      const summary = await summaryNow();
      assert.ok(summary.users.total >= 40, 'the traffic signed up some forty people');
      const users = page.locator('.figure').filter({ hasText: /^Users/ });
      assert.equal(
        await users.locator('.figure-value').innerText(),
        new Intl.NumberFormat('en-US').format(summary.users.total),
      );
      const charts = page.getByRole('img');
      assert.equal(await charts.count(), 3);
      const daily = await charts.nth(0).getAttribute('aria-label');
      const signIns = summary.daily.reduce((n: number, d: { sign_ins: number }) => n + d.sign_ins, 0);
      assert.match(daily ?? '', new RegExp(`Sign-ins ${signIns} in all`), daily ?? '');
      // Each chart's table: one row per bucket, the same figures.
      await page.getByText('per day, last 30 days as a table').first().click();
      const rows = page.locator('figure').first().locator('tbody tr');
      assert.equal(await rows.count(), 30);
      assert.equal(await rows.last().locator('td').first().innerText(), String(summary.daily[29].sign_ins));
      await page.getByText('per hour, last 48 hours as a table').click();
      assert.equal(await page.locator('figure').nth(1).locator('tbody tr').count(), 48);
      assert.deepEqual(await serious(page), [], 'the dashboard, light, tables open');
      await page.getByText('per day, last 30 days as a table').first().click();
      await page.getByText('per hour, last 48 hours as a table').click();
      await page.screenshot({
        path: `${IMAGES}console-dashboard.png`,
        fullPage: true,
        animations: 'disabled',
        caret: 'hide',
      });
      // The status bars link to the list they count.
      await page.getByRole('link', { name: 'active', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('status'), 'active');
      assert.deepEqual(uncaught, []);
      await ctx.close();
    });

    await t.test('a moderator lands on it too (dark theme, axe); a plain user is turned away', async () => {
      const ctx = await context('dark');
      const page = await ctx.newPage();
      await signIn(page, base, moderator.username);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await page.getByRole('img').first().waitFor();
      assert.deepEqual(await serious(page), [], 'the dashboard, dark');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      // The console is for admins and moderators: a plain user is turned away at the door, as before.
      await signIn(page, base, plain.username);
      await page.getByText('The console is for admins and moderators.').waitFor();
      await ctx.close();
    });
  } finally {
    await browser?.close();
  }
});
