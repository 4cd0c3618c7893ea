import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { PASSWORD, build } from '../support/helper.js';
import { serious } from '../support/console-axe.js';

/**
 * The console's Roles page and the organization page's Roles, SCIM provisioning and Single sign-on sections in
 * Debian's Chromium against a real listening server: an admin creates, filters, edits and deletes roles; gives a
 * member an organization role by its tick; creates a SCIM token (shown once, gone after a reload, working at
 * /scim/v2/Users until revoked); sets up single sign-on through the form (the database holds it, the redirect URI is
 * shown); a moderator reads all of it with no change offered; axe finds nothing serious. The Roles page's and the
 * organization page's screenshots are the README's (docs/images); the others go to /tmp.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/usher-console-org-sections';
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console/users`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

test('Roles page CRUD, organization roles by ticks, SCIM tokens shown once, single sign-on by form; moderators read; axe', {
  timeout: 180_000,
}, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  mkdirSync(IMAGES, { recursive: true });
  const api = await build(t, {}, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const db = api.database.db;
  const moderator = await api.withRole('moderator');
  const member = await api.user({ first_name: 'Ada' });
  const { token } = await api.admin();
  const org = (
    await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Acme Corp', domains: ['acme.com'] } })
  ).body.data;
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

    // Roles: create an organization role and a global one, filter, edit, delete.
    await page.getByRole('navigation').getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
    await page.getByText('No roles yet.').waitFor();
    const create = async (name: string, scope: string, permissions: string, description: string) => {
      await page.getByRole('button', { name: 'New role' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Scope', { exact: true }).first().selectOption(scope);
      await page.getByLabel('Description').fill(description);
      await page.getByLabel('Permissions').fill(permissions);
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByText(`Role ${name} saved.`).waitFor();
    };
    await create('billing', 'organization', 'invoices:read\ninvoices:write\n\ninvoices:read', 'Pays the bills');
    await create('auditor', 'global', 'reports:read', 'Reads reports');
    await create('temp', 'organization', '', 'Short-lived');
    const roles = page.getByRole('table', { name: 'Roles' });
    await roles.getByText('invoices:write').waitFor();
    const stored = await db.selectFrom('roles').select(['name', 'scope', 'permissions']).orderBy('name').execute();
    assert.deepEqual(
      stored.map((r) => [r.name, r.scope, JSON.parse(r.permissions)]),
      [
        ['auditor', 'global', ['reports:read']],
        ['billing', 'organization', ['invoices:read', 'invoices:write']],
        ['temp', 'organization', []],
      ],
    );
    await page.getByLabel('Scope', { exact: true }).selectOption('global');
    await page.waitForURL(/\/console\/roles\?scope=global$/);
    await roles.getByText('billing').waitFor({ state: 'detached' });
    await roles.getByText('auditor').waitFor();
    await page.getByRole('button', { name: 'Edit auditor' }).click();
    await page.getByLabel('Permissions').fill('reports:read\nreports:export');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByText('Role auditor saved.').waitFor();
    await roles.getByText('reports:export').waitFor();
    const auditor = await db
      .selectFrom('roles')
      .select('permissions')
      .where('name', '=', 'auditor')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(auditor.permissions), ['reports:export', 'reports:read']);
    await page.getByLabel('Scope', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Delete temp' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Role temp deleted.').waitFor();
    assert.equal((await db.selectFrom('roles').select('id').where('name', '=', 'temp').execute()).length, 0);
    await page.screenshot({ path: `${IMAGES}console-roles.png`, animations: 'disabled', caret: 'hide' });
    assert.deepEqual(await serious(page), []);

    // The organization: a member given billing by its tick; the Roles section counts them.
    await page.goto(`${base}/console/organizations/${org.id}`);
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    await page.getByLabel('Find a user by username or email').fill(member.username);
    await page.getByRole('group', { name: 'Roles to give (optional)' }).getByLabel('billing').check();
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Add ${member.username}` }).click();
    await page.getByText(`${member.username} added.`).waitFor();
    const orgRoles = page.getByRole('table', { name: 'Organization roles' });
    await orgRoles.getByRole('row', { name: /billing.*invoices:read.*1$/ }).waitFor();
    assert.equal(await orgRoles.getByText('auditor').count(), 0, 'global roles are not organization roles');

    // SCIM: a token, shown once; it works at /scim/v2 until revoked.
    const scim = page.getByRole('region', { name: 'SCIM provisioning' });
    // The public address (the issuer's), as the directory must reach it: not the browser's 127.0.0.1 here.
    await scim.getByText(`${api.config.issuer.replace(/\/+$/, '')}/scim/v2`, { exact: true }).waitFor();
    await scim.getByLabel('Token name (the directory using it)').fill('Entra ID');
    await scim.getByRole('button', { name: 'Create SCIM token' }).click();
    await scim.getByText('Copy the token now: it is not shown again.').waitFor();
    const secret = await scim.getByLabel('SCIM token', { exact: true }).inputValue();
    assert.match(secret, /.{20,}/);
    const scimStatus = async () =>
      (await fetch(`${base}/scim/v2/Users`, { headers: { authorization: `Bearer ${secret}` } })).status;
    assert.equal(await scimStatus(), 200);
    const row = await db.selectFrom('scim_tokens').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.organization_id, org.id);
    assert.ok(!JSON.stringify(row).includes(secret), 'the token is stored hashed');
    await scim.getByRole('table', { name: 'SCIM tokens' }).getByText(`${row.prefix}…`).waitFor();
    await page.screenshot({ path: `${SHOTS}-scim-created.png`, fullPage: true });
    assert.deepEqual(await serious(page), []);
    await page.reload();
    await page.getByRole('table', { name: 'SCIM tokens' }).getByText('Entra ID').waitFor();
    assert.equal(await page.getByLabel('SCIM token', { exact: true }).count(), 0, 'shown once');
    assert.ok(!(await page.content()).includes(secret));

    // Single sign-on through the form; the redirect URI is shown to copy.
    const sso = page.getByRole('region', { name: 'Single sign-on' });
    await sso.getByText('Not set up.').waitFor();
    await sso.getByRole('button', { name: 'Set up single sign-on' }).click();
    await sso.getByLabel('Provider').selectOption('oidc');
    await sso.getByLabel('Issuer').fill('https://id.acme.test');
    await sso.getByLabel('Client ID').fill('usher-acme');
    await sso.getByLabel('Client secret').fill('acme-client-secret');
    await sso.getByLabel(/^Enforced/).check();
    await sso.getByRole('button', { name: 'Save single sign-on' }).click();
    await sso.getByText(/^Single sign-on saved/).waitFor();
    const idp = await db
      .selectFrom('identity_providers')
      .selectAll()
      .where('organization_id', '=', org.id)
      .executeTakeFirstOrThrow();
    assert.equal(idp.issuer, 'https://id.acme.test');
    assert.equal(idp.client_id, 'usher-acme');
    assert.equal(idp.type, 'oidc');
    assert.equal(Boolean(idp.enforced), true);
    assert.equal(Boolean(idp.enabled), true);
    assert.ok(idp.client_secret, 'the secret is stored');
    const redirect = await sso.getByLabel(/^Redirect URI/).inputValue();
    assert.equal(redirect, `${api.config.issuer.replace(/\/+$/, '')}/auth/callback/${idp.id}`);
    assert.ok(!(await page.content()).includes('acme-client-secret'), 'the client secret is write-only');
    // Edited with the secret left blank: kept.
    await sso.getByRole('button', { name: 'Edit single sign-on' }).click();
    await sso.getByLabel(/^Enforced/).uncheck();
    await sso.getByRole('button', { name: 'Save single sign-on' }).click();
    await sso.getByText('Passwords allowed').waitFor();
    const edited = await db
      .selectFrom('identity_providers')
      .selectAll()
      .where('id', '=', idp.id)
      .executeTakeFirstOrThrow();
    assert.equal(Boolean(edited.enforced), false);
    assert.equal(edited.client_secret, idp.client_secret);
    await page.screenshot({
      path: `${IMAGES}console-organization.png`,
      fullPage: true,
      animations: 'disabled',
      caret: 'hide',
    });
    assert.deepEqual(await serious(page), []);

    // A moderator reads every section, with no change offered.
    const mod = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await signIn(mod, base, moderator.username);
    await mod.getByRole('navigation').getByRole('link', { name: 'Roles' }).click();
    await mod.getByRole('table', { name: 'Roles' }).getByText('billing').waitFor();
    assert.equal(await mod.getByRole('button', { name: 'New role' }).count(), 0);
    assert.equal(await mod.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0);
    assert.deepEqual(await serious(mod), []);
    await mod.goto(`${base}/console/organizations/${org.id}`);
    await mod.getByRole('table', { name: 'SCIM tokens' }).getByText('Entra ID').waitFor();
    await mod.getByRole('region', { name: 'Single sign-on' }).getByText('usher-acme').waitFor();
    await mod.getByLabel(/^Redirect URI/).waitFor();
    for (const name of [
      'Create SCIM token',
      'Revoke SCIM token Entra ID',
      'Set up single sign-on',
      'Edit single sign-on',
      'Remove single sign-on',
    ])
      assert.equal(await mod.getByRole('button', { name }).count(), 0, name);
    assert.equal(await mod.getByRole('checkbox').count(), 0, 'no role ticks');
    await mod.screenshot({ path: `${SHOTS}-moderator.png`, fullPage: true });
    assert.deepEqual(await serious(mod), []);

    // Revoked: refused at /scim/v2 from then on.
    await page.getByRole('button', { name: 'Revoke SCIM token Entra ID' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('SCIM token Entra ID revoked.').waitFor();
    assert.equal(await scimStatus(), 401);
    assert.ok((await db.selectFrom('scim_tokens').select('revoked_at').executeTakeFirstOrThrow()).revoked_at);
    // Removing single sign-on, confirmed.
    await page.getByRole('button', { name: 'Remove single sign-on' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Single sign-on removed.').waitFor();
    assert.equal((await db.selectFrom('identity_providers').select('id').execute()).length, 0);
    await page.screenshot({ path: `${SHOTS}-removed.png`, fullPage: true });
    assert.deepEqual(uncaught, []);
  } finally {
    await browser?.close();
  }
});
