import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, assertAccessible, assertChromium } from '../support/hosted-browser.js';
import { authorization } from '../support/hosted-flow.js';
import { PASSWORD } from '../support/helper.js';
import { REDIRECT, freePort, startIssuer } from '../support/oidc.js';
import { startLocalIdp } from '../support/upstream-idp.js';
import { addMember, makeOrganization } from './org-fixture.js';

/**
 * An organization's single sign-on in Chromium (and without JavaScript): the hosted page asks for the address first, an
 * address at the organization's domain goes straight to its provider (a local oidc-provider) and comes back signed in
 * and a member; another address gets the password step; with `enforced`, a member's right password is refused.
 */
test('organization single sign-on in Chromium: home realm discovery and enforcement', async (t) => {
  assertChromium();
  const idpPort = await freePort();
  const op = await startIssuer(t, { USHER_OUTBOUND_ALLOW_PRIVATE: 'on' });
  const api = op.api;
  const db = api.database.db;
  const admin = await api.admin();
  const acme = await makeOrganization(db, 'Acme Corp', ['acme.test']);
  const made = await api.request('PUT', `/api/v1/organizations/${acme}/sso`, {
    token: admin.token,
    body: { type: 'oidc', issuer: `http://127.0.0.1:${idpPort}`, client_id: 'usher', client_secret: 's5' },
  });
  assert.equal(made.status, 201, made.raw);
  const sso = made.body.data;
  const idp = await startLocalIdp(
    [{ client_id: 'usher', client_secret: 's5', redirect_uris: [sso.redirect_uri] }],
    idpPort,
  );
  t.after(() => idp.close());
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT], first_party: true });
  const rp = await op.relyingParty(app);
  const outsider = await api.register({ email: 'olga@elsewhere.test' });

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  // axe needs script; the second sign-in runs with none, as a person without JavaScript would.
  const session = async (javaScriptEnabled = true) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const landed: string[] = [];
    await page.route(`${REDIRECT}**`, (route) => {
      landed.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Shop</title><h1>Back at Shop</h1>' });
    });
    const pending = await authorization(rp, REDIRECT, { scope: 'openid email' });
    await page.goto(pending.url);
    return { context, page, landed, pending };
  };

  await t.test('an address at the domain goes straight to the provider and comes back a member', async () => {
    const { context, page, landed, pending } = await session();
    const field = page.getByLabel('Email or username');
    await field.waitFor();
    assert.equal(await page.getByLabel('Password').count(), 0);
    await assertAccessible(page, 'address-first sign-in');
    await page.screenshot({ path: '/tmp/org-sso-identify.png' });
    idp.as({ sub: 'ann-1', email: 'ann@acme.test', preferred_username: 'ann' });
    await field.fill('ann@acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${REDIRECT}**`);
    const tokens = await pending.redeem(landed[0]!);
    assert.equal(tokens.claims()?.email, 'ann@acme.test');
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'ann@acme.test')
      .executeTakeFirstOrThrow();
    // The provider did not say email_verified; the domain is the organization's, vouched for by the admin.
    assert.equal(Boolean(user.email_verified), true);
    assert.equal(user.password_hash, null);
    const member = await db
      .selectFrom('organization_members')
      .selectAll()
      .where('organization_id', '=', acme)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    assert.ok(member, 'a member of the organization');
    const added = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('type', '=', 'organization.member_added')
      .where('target_id', '=', user.id)
      .execute();
    assert.equal(added.length, 1);
    assert.equal(added[0]!.actor_id, null);
    assert.equal(JSON.parse(added[0]!.details).organization_id, acme);
    await context.close();
  });

  await t.test('a second sign-in, without JavaScript, finds the same user and member', async () => {
    const { context, page, landed } = await session(false);
    idp.as({ sub: 'ann-1', email: 'ann@acme.test', preferred_username: 'ann' });
    await page.getByLabel('Email or username').fill('ANN@Acme.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${REDIRECT}**`);
    assert.equal(landed.length, 1);
    const users = await db.selectFrom('users').select('id').where('email', '=', 'ann@acme.test').execute();
    assert.equal(users.length, 1);
    const added = await db
      .selectFrom('audit_events')
      .select('id')
      .where('type', '=', 'organization.member_added')
      .execute();
    assert.equal(added.length, 1);
    await context.close();
  });

  await t.test('another domain sees the password step and signs in with it', async () => {
    const { context, page, landed } = await session();
    await page.getByLabel('Email or username').fill(outsider.email);
    await page.getByRole('button', { name: 'Continue' }).click();
    const password = page.getByLabel('Password');
    await password.waitFor();
    assert.equal(await page.getByLabel('Username or email').inputValue(), outsider.email);
    await assertAccessible(page, 'password step');
    await page.screenshot({ path: '/tmp/org-sso-password.png' });
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${REDIRECT}**`);
    assert.equal(landed.length, 1);
    await context.close();
  });

  await t.test("the console's sign-in routes an address at the domain to the provider too", async () => {
    const staff = await api.withRole('moderator', { email: 'mo@acme.test' });
    const context = await browser.newContext();
    const page = await context.newPage();
    idp.as({ sub: 'mo-1', email: 'mo@acme.test' });
    await page.goto(`${op.issuer}/console/`);
    await page.getByLabel('Username or email').fill('mo@acme.test');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Users' }).waitFor();
    await page.screenshot({ path: '/tmp/org-sso-console.png' });
    const linked = await db.selectFrom('user_identities').selectAll().where('user_id', '=', staff.id).execute();
    assert.deepEqual(
      linked.map((i) => [i.provider_id, i.subject]),
      [[sso.id, 'mo-1']],
    );
    await context.close();
  });

  await t.test('enforced: a member is refused the password on the hosted page', async () => {
    const set = await api.request('PUT', `/api/v1/organizations/${acme}/sso`, {
      token: admin.token,
      body: { type: 'oidc', issuer: `http://127.0.0.1:${idpPort}`, client_id: 'usher', enforced: true },
    });
    assert.equal(set.status, 200, set.raw);
    await addMember(db, acme, outsider.id);
    const { context, page, landed } = await session();
    await page.getByLabel('Email or username').fill(outsider.username);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    const answer = page.waitForResponse((r) => r.url().endsWith('/login'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    assert.equal((await answer).status(), 403);
    await page.getByText("use your company's single sign-on").waitFor();
    await assertAccessible(page, 'password refused by enforced SSO');
    await page.screenshot({ path: '/tmp/org-sso-enforced.png' });
    assert.equal(landed.length, 0);
    const api403 = await api.request('POST', '/api/v1/auth/login', {
      body: { username: outsider.username, password: PASSWORD },
    });
    assert.equal(api403.status, 403);
    await context.close();
  });
});
