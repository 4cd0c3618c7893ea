import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { uuidv7 } from '../../src/core/ids.js';
import { PASSWORD, build } from '../support/helper.js';
import { smtpInbox } from '../support/mail-helper.js';
import { serious } from '../support/console-axe.js';

/**
 * The console's Organizations page in Debian's Chromium against a real listening server: an admin creates an
 * organization, sets its domains, adds a member found by username with a role, changes the role, sends and revokes an
 * invitation, removes the member and deletes the organization; a moderator reads only; axe finds nothing serious.
 * Screenshots in /tmp.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/usher-console-organizations';

async function signIn(page: Page, base: string, login: string, landing: string): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
}

test('the Organizations page in Chromium: create, domains, members with roles, invitations, delete; moderators read; axe', {
  timeout: 120_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  const api = await build(t, {}, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const moderator = await api.withRole('moderator');
  const member = await api.user({ first_name: 'Ada' });
  const at = new Date().toISOString();
  for (const name of ['billing', 'viewer'])
    await api.database.db
      .insertInto('roles')
      .values({
        id: uuidv7(),
        name,
        description: '',
        permissions: '[]',
        scope: 'organization',
        created_at: at,
        updated_at: at,
      })
      .execute();
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
    await signIn(page, base, 'root_admin', 'Users');
    await page.getByRole('navigation').getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await page.getByText('No organizations yet.').waitFor();

    await page.getByRole('button', { name: 'New organization' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Acme Corp');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    await page.getByText('acme-corp', { exact: true }).first().waitFor();

    await page.getByLabel('Domains').fill('acme.com\nacme.io');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Acme Corp saved.').waitFor();

    await page.getByLabel('Find a user by username or email').fill(member.username);
    await page.getByRole('group', { name: 'Roles to give (optional)' }).getByLabel('billing').check();
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Add ${member.username}` }).click();
    await page.getByText(`${member.username} added.`).waitFor();
    await page.getByRole('table', { name: 'Members' }).getByText('billing').waitFor();

    await page.getByRole('button', { name: `Change roles of ${member.username}` }).click();
    const roleTicks = page.getByRole('group', { name: `Roles of ${member.username}` });
    assert.equal(await roleTicks.getByLabel('billing').isChecked(), true);
    await roleTicks.getByLabel('billing').uncheck();
    await roleTicks.getByLabel('viewer').check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText(`Roles of ${member.username} saved.`).waitFor();
    await page.getByRole('table', { name: 'Members' }).getByText('viewer').waitFor();

    await page.getByLabel('Email to invite').fill('new.person@example.com');
    await page.getByRole('group', { name: 'Roles on joining (optional)' }).getByLabel('billing').check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation mailed to new.person@example.com.').waitFor();
    await page.getByRole('table', { name: 'Invitations' }).getByText('pending').waitFor();
    await page.screenshot({ path: `${SHOTS}-page.png`, fullPage: true });
    assert.deepEqual(await serious(page), []);

    const token = (await api.admin()).token;
    const org = (await api.request('GET', '/api/v1/organizations/acme-corp', { token })).body.data;
    assert.deepEqual(org.domains, ['acme.com', 'acme.io']);
    const members = (await api.request('GET', `/api/v1/organizations/${org.id}/members`, { token })).body.data;
    assert.deepEqual(
      members.map((m: { id: string; roles: Array<{ name: string }> }) => [m.id, m.roles.map((r) => r.name)]),
      [[member.id, ['viewer']]],
    );
    const billing = await api.database.db
      .selectFrom('roles')
      .select('id')
      .where('name', '=', 'billing')
      .executeTakeFirstOrThrow();
    const invitations = (await api.request('GET', `/api/v1/organizations/${org.id}/invitations`, { token })).body.data;
    assert.deepEqual(
      invitations.map((i: { email: string; roles: string[] }) => [i.email, i.roles]),
      [['new.person@example.com', [billing.id]]],
    );

    // A moderator reads, and is offered no change.
    const mod = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signIn(mod, base, moderator.username, 'Users');
    await mod.getByRole('navigation').getByRole('link', { name: 'Organizations' }).click();
    await mod.getByRole('link', { name: 'Acme Corp' }).click();
    await mod.getByRole('table', { name: 'Members' }).getByRole('link', { name: member.username }).waitFor();
    assert.equal(await mod.getByRole('button', { name: 'Delete organization' }).count(), 0);
    assert.equal(await mod.getByRole('button', { name: /^Remove/ }).count(), 0);
    assert.equal(await mod.getByRole('button', { name: 'Send invitation' }).count(), 0);

    await page.getByRole('button', { name: 'Revoke invitation of new.person@example.com' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('table', { name: 'Invitations' }).getByText('revoked').waitFor();
    await page.getByRole('button', { name: `Remove ${member.username}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No members yet.').waitFor();
    await page.getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No organizations yet.').waitFor();
    assert.equal((await api.database.db.selectFrom('organizations').selectAll().execute()).length, 0);
    assert.deepEqual(uncaught, []);
  } finally {
    await browser?.close();
  }
});

test('the invitation’s hosted page in Chromium: the mailed link, create the account and join, no script needed; axe', {
  timeout: 120_000,
}, async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url }, { now: Date.now, mailPollMs: 25 });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { token } = await api.admin();
  const org = (await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Hosted Co' } })).body.data;
  const email = 'invited.person@example.com';
  assert.equal(
    (await api.request('POST', `/api/v1/organizations/${org.id}/invitations`, { token, body: { email } })).status,
    201,
  );
  const mail = await inbox.next(email);
  const link = /https?:\/\/\S+\/auth\/mail\/invitation\?\S+/.exec(mail.text ?? '')?.[0];
  assert.ok(link, mail.text);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 800, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    const page = await ctx.newPage();
    await page.goto(`${base}${new URL(link).pathname}${new URL(link).search}`);
    await page.getByRole('heading', { level: 1, name: 'Join an organization' }).waitFor();
    await page.screenshot({ path: `${SHOTS}-invitation.png`, fullPage: true });
    await page.getByLabel('Username').fill('invited_person');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByText('Your account invited_person is ready and you joined Hosted Co.').waitFor();
    const axePage = await (await browser.newContext({ bypassCSP: true })).newPage();
    await axePage.goto(`${base}${new URL(link).pathname}${new URL(link).search}`);
    assert.deepEqual(await serious(axePage), []);
  } finally {
    await browser?.close();
  }
  const tokens = await api.login('invited_person');
  const mine = await api.request('GET', '/api/v1/auth/organizations', { token: tokens.access_token });
  assert.deepEqual(
    mine.body.data.map((o: { slug: string }) => o.slug),
    ['hosted-co'],
  );
});
