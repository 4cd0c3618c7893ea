import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { CONSOLE_CSP } from '../../src/surfaces/console/page.routes.js';
import { PASSWORD, build, type TestApp } from '../support/helper.js';

/**
 * The admin console (packages/console, served at /console) driven as a
 * person would, in Debian's Chromium through playwright-core (never a
 * downloaded browser), against a real listening server on the real clock.
 * Every change made through the page is checked through the API.
 */

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };
const STRONG = 'Orbit-Lantern-42';
const totpOf = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
const crew = (n: number) => `crew${String(n).padStart(2, '0')}`;

interface Seeded {
  admin: { id: string; token: string };
  crew: Map<string, string>;
  moderator: string;
  plain: string;
  totp: { username: string; secret: string };
}

/**
 * A few dozen users: crew01-crew30 (crew01-04 suspended, crew07-08 moderators), a moderator, a plain user, a moderator
 * with TOTP.
 */
async function seed(api: TestApp): Promise<Seeded> {
  const admin = await api.admin();
  const create = async (body: Record<string, unknown>) => {
    const res = await api.request('POST', '/api/v1/users', {
      token: admin.token,
      body: { password: PASSWORD, ...body },
    });
    assert.equal(res.status, 201, res.raw);
    return res.body.data.id as string;
  };
  const ids = new Map<string, string>();
  for (let from = 1; from <= 30; from += 6) {
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const n = from + i;
        const username = crew(n);
        ids.set(
          username,
          await create({
            username,
            email: `${username}@example.com`,
            first_name: 'Crew',
            last_name: `Member ${n}`,
            ...(n <= 4 ? { status: 'suspended' } : {}),
            ...(n === 7 || n === 8 ? { role: 'moderator' } : {}),
          }),
        );
      }),
    );
  }
  await create({ username: 'mod_mia', email: 'mia@example.com', role: 'moderator', preferences: { theme: 'dark' } });
  await create({ username: 'plain_paul', email: 'paul@example.com' });
  await create({ username: 'totp_tara', email: 'tara@example.com', role: 'moderator' });
  // Tara turns TOTP on, confirming with the previous step's code so the current one is still unused for the sign-in.
  const tara = await api.login('totp_tara');
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', {
    token: tara.access_token,
    body: { password: PASSWORD },
  });
  assert.equal(setup.status, 200, setup.raw);
  const secret: string = setup.body.data.secret;
  const confirmed = await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token: tara.access_token,
    body: { code: totpOf(secret).generate({ timestamp: Date.now() - 30_000 }) },
  });
  assert.equal(confirmed.status, 200, confirmed.raw);
  return { admin, crew: ids, moderator: 'mod_mia', plain: 'plain_paul', totp: { username: 'totp_tara', secret } };
}

/** Signs in on the Users page's URL (admins and moderators who open /console land on the dashboard instead). */
async function signIn(page: Page, base: string, login: string, password = PASSWORD): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The list on screen is the one the URL names (the page marks its table aria-busy until then). */
const settled = (page: Page) =>
  page.waitForFunction(() => {
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): unknown } };
    return document.querySelector('table') !== null && document.querySelector('table[aria-busy="true"]') === null;
  });
/** What the page's script sees (this file is compiled without the DOM's types). */
const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

/** Waits for the focus to be on the page's <h1> (where the console puts it after a move). */
const headingFocused = (page: Page) =>
  page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement
        ?.tagName === 'H1',
    undefined,
    { timeout: 5_000 },
  );

/** The body rows of the page's first table, as their usernames (the first link of each row). */
const listedUsernames = (page: Page) => page.locator('table tbody tr td:nth-child(2) a').allInnerTexts();

async function axe(page: Page): Promise<Array<{ id: string; impact: string | null; help: string; targets: string[] }>> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { axe: run } = globalThis as unknown as {
      axe: {
        run(): Promise<{
          violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
        }>;
      };
    };
    return (await run.run()).violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      targets: nodes.map((n) => n.target.join(' ')),
    }));
  });
}

test('the admin console, in headless Chromium: sign-in (and TOTP), users, a user, bulk actions, API keys, audit log, roles, sign-out, accessibility', {
  timeout: 180_000,
}, async (t) => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does it). This test never downloads a browser.`,
  );
  // Rate limits on, on the real clock; the browser clicks faster than a person, so the per-second and per-minute
  // budgets are raised.
  const api = await build(
    t,
    {
      USHER_RATE_LIMIT: 'on',
      USHER_RATE_LIMIT_BURST_PER_SEC: '100',
      USHER_RATE_LIMIT_AUTH_PER_MIN: '2000',
      USHER_RATE_LIMIT_ANON_PER_MIN: '500',
      USHER_RATE_LIMIT_LOGIN_PER_MIN: '200',
    },
    { now: Date.now },
  );
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const seeded = await seed(api);
  const admin = seeded.admin;
  const asAdmin = (method: 'GET' | 'POST' | 'DELETE', url: string) => api.request(method, url, { token: admin.token });
  const userId = (username: string) => seeded.crew.get(username)!;
  mkdirSync(IMAGES, { recursive: true });

  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const context = async (options: Parameters<Browser['newContext']>[0] = {}) => {
    const ctx = await browser!.newContext({ viewport: VIEWPORT, colorScheme: 'light', ...options });
    ctx.setDefaultTimeout(10_000);
    contexts.push(ctx);
    return ctx;
  };
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

    await t.test(
      'an admin signs in under the strict CSP; the users page is one list request; search, filters, sort and paging live in the URL',
      async () => {
        const ctx = await context({ permissions: ['clipboard-read', 'clipboard-write'] });
        const page = await ctx.newPage();
        const uncaught: string[] = [];
        page.on('pageerror', (e) => uncaught.push(e.message));
        page.on('console', (m) => {
          // The one expected failure: the session check on load answers 401 when nobody is signed in.
          if (m.type() === 'error' && !/401/.test(m.text())) uncaught.push(m.text());
        });
        const response = await page.goto(`${base}/console`);
        assert.equal(response?.headers()['content-security-policy'], CONSOLE_CSP);
        await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();

        const apiCalls: string[] = [];
        page.on('request', (r) => {
          const url = new URL(r.url());
          if (url.pathname.startsWith('/api/v1/')) apiCalls.push(`${r.method()} ${url.pathname}`);
        });
        await signIn(page, base, 'root_admin');
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await page.getByText(/^\d+ users\.$/).waitFor();
        assert.equal(new URL(page.url()).pathname, '/console/users');
        const total = (await asAdmin('GET', '/api/v1/users?limit=1')).body.pagination.total as number;
        assert.equal(
          await page
            .getByRole('status')
            .filter({ hasText: /users\.$/ })
            .innerText(),
          `${total} users.`,
          'the total is shown',
        );
        // The sign-in page asks once for the identity providers' buttons.
        assert.deepEqual(
          apiCalls,
          ['GET /api/v1/identity-providers/public', 'GET /api/v1/users'],
          'one list request for the page, nothing per row',
        );
        assert.equal(await page.locator('table tbody tr').count(), 20);

        // Search: the API's substring search, in the URL.
        await page.getByLabel('Search users').fill('crew0');
        await page.waitForURL(/search=crew0/);
        await settled(page);
        await page.getByText('9 users match.').waitFor();
        assert.deepEqual((await listedUsernames(page)).sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9].map(crew));

        // Status and role filters.
        await page.getByLabel('Status').selectOption('suspended');
        await page.waitForURL(/status=suspended/);
        await settled(page);
        await page.getByText('4 users match.').waitFor();
        assert.deepEqual((await listedUsernames(page)).sort(), [1, 2, 3, 4].map(crew));
        await page.getByLabel('Status').selectOption('');
        await page.getByLabel('Role').selectOption('moderator');
        await page.waitForURL((url) => url.searchParams.get('role') === 'moderator' && !url.searchParams.has('status'));
        await settled(page);
        await page.getByText('2 users match.').waitFor();
        assert.deepEqual((await listedUsernames(page)).sort(), [7, 8].map(crew));
        // Back restores the previous view: its URL, its controls and its rows.
        await page.goBack();
        await page.waitForURL((url) => !url.searchParams.has('role') && !url.searchParams.has('status'));
        await settled(page);
        await page.goBack();
        await page.waitForURL(/status=suspended/);
        await settled(page);
        await page.getByText('4 users match.').waitFor();
        assert.equal(await page.getByLabel('Status').inputValue(), 'suspended');
        assert.equal(await page.getByLabel('Search users').inputValue(), 'crew0');

        // A shared link restores the same view in a fresh page.
        const shared = await ctx.newPage();
        await shared.goto(page.url());
        await shared.getByText('4 users match.').waitFor();
        assert.equal(await shared.getByLabel('Status').inputValue(), 'suspended');
        await shared.close();

        // Sort by username, page forward and back by cursor.
        await page.goto(`${base}/console/users`);
        await page.getByLabel('Sort by').selectOption('username');
        await page.waitForURL(/sort=username/);
        await settled(page);
        assert.equal(await page.getByLabel('Order').inputValue(), 'asc');
        await page.getByText('Page 1 of 2').waitFor();
        const firstPage = await listedUsernames(page);
        assert.deepEqual(firstPage, [...firstPage].sort(), 'sorted by username');
        assert.equal(firstPage[0], crew(1));
        assert.ok(await page.getByRole('button', { name: 'Previous page' }).isDisabled());
        await page.getByRole('button', { name: 'Next page' }).click();
        await page.waitForURL(/page=2/);
        await settled(page);
        await page.getByText('Page 2 of 2').waitFor();
        const url2 = new URL(page.url());
        assert.ok(url2.searchParams.get('cursor'), 'the cursor is in the URL');
        assert.equal(url2.searchParams.get('page'), '2');
        const secondPage = await listedUsernames(page);
        assert.equal(secondPage.length, total - 20);
        assert.ok(secondPage[0]! > firstPage[19]!, 'the next page follows on');
        assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());
        // A reload keeps the view, and the way back.
        await page.reload();
        await settled(page);
        await page.getByText('Page 2 of 2').waitFor();
        assert.deepEqual(await listedUsernames(page), secondPage);
        await page.getByRole('button', { name: 'Previous page' }).click();
        await page.waitForURL((url) => !url.searchParams.has('page'));
        await settled(page);
        await page.getByText('Page 1 of 2').waitFor();
        assert.deepEqual(await listedUsernames(page), firstPage);
        await page.goBack();
        await page.waitForURL(/page=2/);
        await settled(page);
        await page.getByText('Page 2 of 2').waitFor();
        assert.deepEqual(await listedUsernames(page), secondPage, 'browser back restores page 2');

        // No token in storage: the access token is in memory, the refresh token in an httpOnly cookie.
        const stored = await inPage(
          page,
          '({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })',
        );
        assert.deepEqual(stored, { local: {}, session: {}, cookie: '' });
        assert.deepEqual(uncaught, []);
        await ctx.close();
      },
    );

    await t.test(
      "a user's page: edit and save, sessions, status and role, password reset, delete and restore",
      async () => {
        const target = crew(5);
        const id = userId(target);
        // Two sessions of the user, to revoke.
        await api.login(target);
        await api.login(target);
        const ctx = await context();
        const page = await ctx.newPage();
        await signIn(page, base, 'root@example.com');
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await page.getByLabel('Search users').fill(target);
        await page.getByText('1 user match.').waitFor();
        await page.getByRole('link', { name: target, exact: true }).click();
        await page.getByRole('heading', { level: 1, name: target }).waitFor();
        assert.equal(new URL(page.url()).pathname, `/console/users/${id}`);

        // Profile.
        await page.getByLabel('First name').fill('Renamed');
        await page.getByLabel('Bio').fill('Moved to the night shift.');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Saved.').waitFor();
        let stored = (await asAdmin('GET', `/api/v1/users/${id}`)).body.data;
        assert.equal(stored.first_name, 'Renamed');
        assert.equal(stored.bio, 'Moved to the night shift.');
        assert.equal(stored.last_name, 'Member 5', 'untouched fields stay');

        // Sessions: one, then all.
        const sessions = page.getByRole('region', { name: 'Sessions' });
        await sessions.getByRole('heading', { name: 'Sessions' }).waitFor();
        await assert.doesNotReject(sessions.locator('tbody tr').nth(1).waitFor());
        assert.equal(await sessions.locator('tbody tr').count(), 2);
        await sessions.locator('tbody tr').first().getByRole('button', { name: 'Revoke' }).click();
        await sessions.getByText('Session ended.').waitFor();
        await sessions.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
        assert.equal((await asAdmin('GET', `/api/v1/users/${id}/sessions`)).body.data.length, 1);
        await sessions.getByRole('button', { name: 'Revoke all sessions' }).click();
        await sessions.getByText('No live sessions.').waitFor();
        assert.equal((await asAdmin('GET', `/api/v1/users/${id}/sessions`)).body.data.length, 0);

        // Status and role.
        await page.getByLabel('Status').selectOption('inactive');
        await page.getByLabel('Role').selectOption('moderator');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Saved.').waitFor();
        stored = (await asAdmin('GET', `/api/v1/users/${id}`)).body.data;
        assert.equal(stored.status, 'inactive');
        assert.equal(stored.role, 'moderator');

        // Password reset: a mail is asked for (202).
        await page.getByRole('button', { name: 'Send password reset' }).click();
        await page.getByText(/A password reset code is on its way/).waitFor();

        // The user's audit events.
        await page.getByRole('region', { name: 'Audit events' }).getByText('user.role_changed').waitFor();

        // Delete, confirmed in a dialog; the page then offers Restore, also after a reload.
        await page.getByRole('button', { name: 'Delete user' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('heading', { name: `Delete ${target}?` }).waitFor();
        await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
        await page.getByRole('button', { name: 'Restore user' }).waitFor();
        assert.equal((await asAdmin('GET', `/api/v1/users/${id}`)).status, 404);
        assert.equal(await page.getByRole('button', { name: 'Delete user' }).count(), 0);
        await page.reload();
        await page.getByRole('heading', { level: 1, name: target }).waitFor();
        await page.getByRole('button', { name: 'Restore user' }).click();
        await page.getByLabel('First name').waitFor();
        assert.equal((await asAdmin('GET', `/api/v1/users/${id}`)).status, 200);
        await ctx.close();
      },
    );

    await t.test('bulk actions on selected rows; deleted users listed for admins; a new user', async () => {
      const ctx = await context();
      const page = await ctx.newPage();
      await signIn(page, base, 'root_admin');
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await page.getByLabel('Search users').fill('crew2');
      await page.getByText('10 users match.').waitFor();
      await page.getByRole('checkbox', { name: `Select ${crew(21)}` }).check();
      await page.getByRole('checkbox', { name: `Select ${crew(22)}` }).check();
      await page.getByLabel('Set selected users to').selectOption('suspended');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('Set to suspended: 2 users.').waitFor();
      for (const n of [21, 22])
        assert.equal((await asAdmin('GET', `/api/v1/users/${userId(crew(n))}`)).body.data.status, 'suspended');
      assert.equal(
        (await asAdmin('GET', `/api/v1/users/${userId(crew(20))}`)).body.data.status,
        'active',
        'only the selected rows',
      );

      await page.getByRole('checkbox', { name: `Select ${crew(23)}` }).check();
      await page.getByRole('button', { name: 'Delete selected' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('Deleted 1 user.').waitFor();
      assert.equal((await asAdmin('GET', `/api/v1/users/${userId(crew(23))}`)).status, 404);

      // Admins list deleted users and open one: its page offers Restore.
      await page.getByLabel('Status').selectOption('deleted');
      await page.getByText('1 user match.').waitFor();
      await page.getByRole('link', { name: crew(23), exact: true }).click();
      await page.getByRole('heading', { level: 1, name: crew(23) }).waitFor();
      await page.getByRole('button', { name: 'Restore user' }).waitFor();
      await page.goBack();

      // A new user.
      await page.getByRole('button', { name: 'New user' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Username').fill('newbie');
      await dialog.getByLabel('Email').fill('newbie@example.com');
      await dialog.getByLabel('Password').fill(STRONG);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { level: 1, name: 'newbie' }).waitFor();
      const created = (await asAdmin('GET', '/api/v1/users?search=newbie')).body.data;
      assert.equal(created.length, 1);
      assert.equal(new URL(page.url()).pathname, `/console/users/${created[0].id}`);
      await ctx.close();
    });

    await t.test(
      'API keys: create (the secret shown once, with a copy button), revoke; the audit log filters and links to users',
      async () => {
        const ctx = await context({ permissions: ['clipboard-read', 'clipboard-write'] });
        const page = await ctx.newPage();
        await signIn(page, base, 'root_admin');
        await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
        await page.getByRole('button', { name: 'New key' }).click();
        await page.getByLabel('Name').fill('ci-bot');
        await page.getByRole('button', { name: 'Create' }).click();
        const secretField = page.getByLabel('Secret key');
        await secretField.waitFor();
        const secret = await secretField.inputValue();
        assert.match(secret, /^usk_/);
        await page.getByRole('button', { name: 'Copy key' }).click();
        await page.getByText('Copied to the clipboard.').waitFor();
        assert.equal(await inPage(page, 'navigator.clipboard.readText()'), secret);
        assert.equal((await api.request('GET', '/v1/users?limit=1', { apiKey: secret })).status, 200, 'the key works');
        await page.getByRole('button', { name: 'Done' }).click();
        assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');
        const keys = (await asAdmin('GET', '/api/v1/api-keys')).body.data;
        const key = keys.find((k: { name: string }) => k.name === 'ci-bot');
        assert.equal(key.revoked_at, null);

        await page.getByRole('button', { name: 'Revoke key ci-bot' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
        await page.getByText('Key ci-bot revoked').waitFor();
        const after = (await asAdmin('GET', '/api/v1/api-keys')).body.data.find((k: { id: string }) => k.id === key.id);
        assert.notEqual(after.revoked_at, null);
        assert.equal(
          (await api.request('GET', '/v1/users?limit=1', { apiKey: secret })).status,
          401,
          'the key is refused',
        );

        // The audit log: newest first, filtered by type (in the URL), linking to users.
        await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
        await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
        await page.getByLabel('Event type').selectOption('user.deleted');
        await page.waitForURL(/type=user\.deleted/);
        await settled(page);
        await page.getByText(/events? on this page/).waitFor();
        const types = await page.locator('table tbody tr td:nth-child(2)').allInnerTexts();
        assert.ok(types.length >= 2 && types.every((type) => type.trim() === 'user.deleted'), JSON.stringify(types));
        const shownTimes = await page
          .locator('table tbody tr td:first-child time')
          .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { dateTime: string }).dateTime));
        assert.deepEqual(shownTimes, [...shownTimes].sort().reverse(), 'newest first');
        await page.getByLabel('Actor id').fill(admin.id);
        await page.getByRole('button', { name: 'Filter' }).click();
        await page.waitForURL((url) => url.searchParams.get('actor_id') === admin.id);
        await settled(page);
        await page.getByText(/events? on this page/).waitFor();
        assert.ok((await page.locator('table tbody tr td:nth-child(3)').allInnerTexts()).every((who) => who === 'You'));
        const target = userId(crew(5));
        await page.locator(`table a[href="/console/users/${target}"]`).first().click();
        await page.getByRole('heading', { level: 1, name: crew(5) }).waitFor();
        await ctx.close();
      },
    );

    await t.test(
      'a moderator is offered only what a moderator may do; the theme follows their preference',
      async () => {
        const ctx = await context();
        const page = await ctx.newPage();
        await signIn(page, base, seeded.moderator);
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        assert.equal(
          await inPage(page, 'document.documentElement.dataset.theme'),
          'dark',
          "mod_mia's preferences.theme",
        );
        const nav = page.getByRole('navigation', { name: 'Console' });
        assert.equal(
          await nav
            .getByRole('link')
            .allInnerTexts()
            .then((links) => links.join()),
          'Dashboard,Users,Applications,Identity providers,Webhooks,Organizations,Roles',
          'the dashboard; no API keys, user schema or audit log (the API answers 403); applications, identity providers, webhooks, organizations and roles, which moderators read',
        );
        assert.deepEqual(
          await page.getByLabel('Status').locator('option').allInnerTexts(),
          ['All', 'Active', 'Inactive', 'Suspended', 'Pending'],
          'no deleted users',
        );

        const target = crew(6);
        await page.goto(`${base}/console/users/${userId(target)}`);
        await page.getByRole('heading', { level: 1, name: target }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Delete user' }).count(), 0);
        assert.equal(await page.getByLabel('Role').count(), 0, 'no role change');
        assert.equal(await page.getByLabel('First name').count(), 0, 'no profile editing');
        assert.equal(await page.getByRole('heading', { name: 'Sessions' }).count(), 0);
        await page.getByLabel('Status').selectOption('suspended');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Saved.').waitFor();
        assert.equal((await asAdmin('GET', `/api/v1/users/${userId(target)}`)).body.data.status, 'suspended');
        await ctx.close();
      },
    );

    await t.test(
      'a plain user is told the console is not for them; a TOTP account signs in with its code',
      async () => {
        const ctx = await context();
        const page = await ctx.newPage();
        await signIn(page, base, seeded.plain);
        assert.equal(await page.getByRole('alert').innerText(), 'The console is for admins and moderators.');
        assert.deepEqual(await ctx.cookies(), [], 'no session cookie for a plain user');

        await signIn(page, base, seeded.totp.username);
        const code = page.getByLabel('Authentication code');
        await code.waitFor();
        await code.fill('000000');
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.getByRole('alert').waitFor();
        await code.fill(totpOf(seeded.totp.secret).generate({ timestamp: Date.now() }));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await ctx.close();
      },
    );

    await t.test('sign-out ends the session on the server: the refresh cookie no longer works', async () => {
      const ctx = await context();
      const page = await ctx.newPage();
      await signIn(page, base, 'root_admin');
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      // A reload keeps you signed in (through the cookie).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      const cookie = (await ctx.cookies()).find((c) => c.name === 'usher_console');
      assert.ok(cookie?.httpOnly, 'the refresh cookie is httpOnly');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await page.getByText('You are signed out.').waitFor();
      const refresh = await api.request('POST', '/console/api/session/refresh', {
        headers: { 'x-usher-console': '1', cookie: `usher_console=${cookie.value}` },
      });
      assert.equal(refresh.status, 401);
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await ctx.close();
    });

    await t.test(
      'accessibility: axe finds nothing serious or critical on any page; screenshots for the docs',
      async () => {
        // axe-core goes in as a script tag the page's CSP refuses, so this context bypasses CSP.
        const ctx = await context({ bypassCSP: true });
        const page = await ctx.newPage();
        const found: string[] = [];
        const check = async (name: string) => {
          for (const v of await axe(page)) {
            t.diagnostic(`axe ${name} ${v.impact}: ${v.id}: ${v.help} (${v.targets.join(', ')})`);
            if (v.impact === 'serious' || v.impact === 'critical')
              found.push(`${name}: ${v.id} ${v.help} (${v.targets.join(', ')})`);
          }
          await page.screenshot({ path: `${IMAGES}console-${name}.png`, animations: 'disabled', caret: 'hide' });
        };
        await page.goto(`${base}/console`);
        await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
        await check('sign-in');
        await signIn(page, base, 'root_admin');
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await page.getByText(/^\d+ users\.$/).waitFor();
        await check('users');
        await page.getByLabel('Search users').fill(crew(6));
        await page.getByText('1 user match.').waitFor();
        await page.getByRole('link', { name: crew(6), exact: true }).click();
        await page.getByRole('heading', { level: 1, name: crew(6) }).waitFor();
        await page.getByRole('region', { name: 'Audit events' }).locator('li').first().waitFor();
        await page
          .getByRole('region', { name: 'Sessions' })
          .getByText(/No live sessions|Started/)
          .first()
          .waitFor();
        await check('user');
        assert.equal(
          (
            await api.request('POST', '/api/v1/api-keys', {
              token: admin.token,
              body: { name: 'backoffice', role: 'moderator' },
            })
          ).status,
          201,
        );
        await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('button', { name: 'Revoke key backoffice' }).waitFor();
        await check('api-keys');
        // The new key's form and its secret, shown once.
        await page.getByRole('button', { name: 'New key' }).click();
        await page.getByLabel('Name').fill('reporting');
        await page.getByRole('button', { name: 'Create' }).click();
        await page.getByLabel('Secret key').waitFor();
        for (const v of await axe(page))
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`new key secret: ${v.id} ${v.help}`);
        // A confirmation dialog starts on Cancel.
        await page.getByRole('button', { name: 'Revoke key backoffice' }).click();
        await page.getByRole('dialog').getByRole('heading', { name: 'Revoke backoffice?' }).waitFor();
        assert.equal(await inPage(page, 'document.activeElement?.textContent'), 'Cancel');
        for (const v of await axe(page))
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`revoke dialog: ${v.id} ${v.help}`);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'hidden' });
        await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
        await page.getByText(/events? on this page/).waitFor();
        await check('audit-log');
        // The dialogs and the dark theme too.
        await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
        await page.getByRole('button', { name: 'New user' }).click();
        await page.getByRole('dialog').getByLabel('Username').waitFor();
        for (const v of await axe(page))
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`new-user dialog: ${v.id} ${v.help}`);
        await page.keyboard.press('Escape');
        await inPage(page, "document.documentElement.dataset.theme = 'dark'");
        await page.waitForTimeout(300); // the buttons' colour transition
        for (const v of await axe(page))
          if (v.impact === 'serious' || v.impact === 'critical')
            found.push(`users, dark: ${v.id} ${v.help} (${v.targets.join(', ')})`);
        assert.deepEqual(found, []);
        await ctx.close();
      },
    );

    await t.test('keyboard alone: sign in, reach a user and save', async () => {
      const ctx = await context();
      const page = await ctx.newPage();
      await page.goto(`${base}/console/users`);
      await page.getByLabel('Username or email').focus();
      await page.keyboard.type('root_admin');
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await headingFocused(page); // signed in, focus is on the page's heading
      await page.getByLabel('Search users').focus();
      await page.keyboard.type(crew(9));
      await page.getByText('1 user match.').waitFor();
      // From the search box, Tab reaches the row's link; Enter follows it.
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if ((await inPage(page, 'document.activeElement?.textContent')) === crew(9)) break;
      }
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: crew(9) }).waitFor();
      await headingFocused(page); // focus moves to the new page
      await page.getByLabel('First name').focus();
      const outline = await inPage<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');
      assert.notEqual(outline, 'none', 'focus is visible');
      await page.keyboard.press('End');
      await page.keyboard.type(' Jr');
      await page.keyboard.press('Enter');
      await page.getByText('Saved.').waitFor();
      assert.equal((await asAdmin('GET', `/api/v1/users/${userId(crew(9))}`)).body.data.first_name, 'Crew Jr');
      await ctx.close();
    });
  } finally {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
    await browser?.close();
  }
});

test('an expired access token is renewed through the cookie (once) and the refused call retried: the page carries on', {
  timeout: 60_000,
}, async (t) => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium). This test never downloads a browser.`,
  );
  const api = await build(t, { USHER_ACCESS_TOKEN_TTL: '2' }, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await api.admin();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    ctx.setDefaultTimeout(10_000);
    const page = await ctx.newPage();
    await signIn(page, base, 'root_admin');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const refreshes: number[] = [];
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/console/api/session/refresh')) refreshes.push(r.status());
      if (r.status() === 401 && r.url().includes('/api/v1/')) refused.push(new URL(r.url()).pathname);
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Your own page: its first call is refused with the expired token, renewed, retried; the sections that follow use
    // the new token.
    // (From the user list: the name in the header leads to My account.)
    await page.getByRole('main').getByRole('link', { name: 'root_admin', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'root_admin' }).waitFor();
    await page.getByRole('region', { name: 'Audit events' }).getByText('user.login').first().waitFor();
    await page.getByRole('region', { name: 'Sessions' }).locator('tbody tr').first().waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'no call failed');
    assert.deepEqual(refused, [`/api/v1/users/${admin.id}`]);
    assert.deepEqual(refreshes, [200], 'one renewal');
    // Still signed in: the renewed session works.
    await page.getByLabel('First name').fill('Rooty');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal(
      (await api.request('GET', `/api/v1/users/${admin.id}`, { token: (await api.login('root_admin')).access_token }))
        .body.data.first_name,
      'Rooty',
    );
  } finally {
    await browser.close();
  }
});
