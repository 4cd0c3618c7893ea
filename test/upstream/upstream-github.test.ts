import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserManagementClient } from '../../packages/client/src/index.js';
import { randomBytes } from 'node:crypto';
import { PASSWORD, build } from '../support/helper.js';
import { REDIRECT, startIssuer } from '../support/oidc.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { Browser, upstreamAuthorize } from '../support/upstream-flow.js';

/** Sign-in with GitHub (OAuth 2.0 and its user and email APIs) against a local server speaking GitHub's endpoints. */
test('GitHub sign-in', async (t) => {
  const op = await startIssuer(t, { USHER_OUTBOUND_ALLOW_PRIVATE: 'on' });
  const api = op.api;
  const admin = await api.admin();
  const gh = await startFakeGitHub({ id: 'gh-client', secret: 'gh-secret' });
  t.after(() => gh.close());
  const made = await api.request('POST', '/api/v1/identity-providers', {
    token: admin.token,
    body: {
      type: 'github',
      client_id: 'gh-client',
      client_secret: 'gh-secret',
      authorization_url: `${gh.base}/login/oauth/authorize`,
      token_url: `${gh.base}/login/oauth/access_token`,
      api_url: gh.base,
    },
  });
  assert.equal(made.status, 201, made.raw);
  const github = made.body.data;
  assert.equal(github.display_name, 'GitHub');
  assert.deepEqual(github.scopes, ['read:user', 'user:email']);
  assert.equal(github.issuer, null);
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT], first_party: true });
  const rp = await op.relyingParty(app);

  await t.test("GitHub's defaults are GitHub's own addresses", async () => {
    const res = await api.request('POST', '/api/v1/identity-providers', {
      token: admin.token,
      body: { type: 'github', client_id: 'x', enabled: false },
    });
    assert.equal(res.body.data.authorization_url, 'https://github.com/login/oauth/authorize');
    assert.equal(res.body.data.token_url, 'https://github.com/login/oauth/access_token');
    assert.equal(res.body.data.api_url, 'https://api.github.com');
    assert.equal(res.body.data.has_client_secret, false);
  });

  await t.test('a first sign-in makes the user from /user and /user/emails', async () => {
    gh.as({
      id: 4242,
      login: 'octo.cat',
      name: 'Octo the Cat',
      emails: [
        { email: 'other@gh.test', primary: false, verified: true },
        { email: 'Octo@GH.test', primary: true, verified: true },
      ],
    });
    const { tokens, step } = await upstreamAuthorize(op, rp, new Browser(), github.id);
    assert.ok(tokens, step.html);
    const user = await api.request('GET', `/api/v1/users/${tokens.claims()?.sub}`, { token: admin.token });
    assert.equal(user.body.data.username, 'octo_cat');
    assert.equal(user.body.data.email, 'octo@gh.test');
    assert.equal(user.body.data.email_verified, true);
    assert.equal(user.body.data.first_name, 'Octo');
    assert.equal(user.body.data.last_name, 'the Cat');
    assert.deepEqual(
      user.body.data.identities.map((i: Record<string, unknown>) => [i.provider_type, i.subject]),
      [['github', '4242']],
    );
  });

  await t.test("an unverified primary email claiming the admin's address signs nobody in", async () => {
    gh.as({
      id: 666,
      login: 'mallory',
      emails: [
        { email: 'root@example.com', primary: true, verified: false },
        { email: 'mallory@gh.test', primary: false, verified: true },
      ],
    });
    const hosted = await upstreamAuthorize(op, rp, new Browser(), github.id);
    assert.equal(hosted.tokens, undefined);
    assert.equal(hosted.step.status, 422);
    const console = await new Browser().follow(`${op.issuer}/auth/upstream/${github.id}?to=console`);
    assert.equal(console.status, 422);
    assert.match(console.html!, /An account with this email address exists already/);
    const linked = await api.database.db.selectFrom('user_identities').select('subject').execute();
    assert.deepEqual(
      linked.map((r) => r.subject),
      ['4242'],
    );
  });

  await t.test("the SDK's methods (this checkout's client)", async () => {
    const sdk = new UserManagementClient({
      baseURL: `${op.issuer}/api/v1`,
      username: 'root_admin',
      password: PASSWORD,
    });
    const made = await sdk.identityProviders.create({ type: 'microsoft', client_id: 'ms-app', client_secret: 'ms-s' });
    assert.equal(made.issuer, 'https://login.microsoftonline.com/common/v2.0');
    assert.equal('client_secret' in made, false);
    assert.equal((await sdk.identityProviders.update(made.id, { display_name: 'Contoso' })).display_name, 'Contoso');
    assert.equal((await sdk.identityProviders.get(made.id)).client_id, 'ms-app');
    assert.ok((await sdk.identityProviders.list()).some((p) => p.id === made.id));
    const anonymous = new UserManagementClient({ baseURL: `${op.issuer}/api/v1` });
    assert.ok((await anonymous.identityProviders.listPublic()).some((p) => p.display_name === 'Contoso'));
    assert.deepEqual(await sdk.identities.list(), []);
    await sdk.identityProviders.delete(made.id);
    await assert.rejects(sdk.identities.unlink(made.id), /not found/i);
  });

  await t.test("the admin's verified primary email links, and signs in to the console", async () => {
    gh.as({ id: 1, login: 'root', emails: [{ email: 'root@example.com', primary: true, verified: true }] });
    const browser = new Browser();
    const res = await browser.follow(`${op.issuer}/auth/upstream/${github.id}?to=console`, {
      stop: (u) => u.endsWith('/console/'),
    });
    assert.equal(res.url, `${op.issuer}/console/`, res.html);
    const session = await browser.fetch(`${op.issuer}/console/api/session/refresh`, {
      method: 'POST',
      headers: { 'x-usher-console': '1' },
    });
    assert.equal(((await session.json()) as { user: { id: string } }).user.id, admin.id);
    const logins = await api.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('type', '=', 'user.login')
      .where('target_id', '=', admin.id)
      .execute();
    assert.ok(logins.some((e) => JSON.parse(e.details).provider_id === github.id));

    // Its subjects are GitHub.com's ids: pointing it at an Enterprise (whose ids collide) with identities linked is refused.
    const moved = await api.request('PATCH', `/api/v1/identity-providers/${github.id}`, {
      token: admin.token,
      body: { api_url: 'https://ghe.example.com/api/v3', display_name: 'GHE' },
    });
    assert.equal(moved.status, 422, moved.raw);
    assert.equal(moved.body.error.details.field, 'api_url');
    assert.match(moved.body.error.message, /api_url cannot change while 2 account\(s\) are linked/);
    const kept = await api.request('GET', `/api/v1/identity-providers/${github.id}`, { token: admin.token });
    assert.equal(kept.body.data.display_name, 'GitHub');
  });

  await t.test('a secret stored before USHER_SECRETS_KEY is sealed at the next start', async () => {
    const plain = async () =>
      (
        await api.database.db
          .selectFrom('identity_providers')
          .select('client_secret')
          .where('id', '=', github.id)
          .executeTakeFirstOrThrow()
      ).client_secret;
    assert.equal(await plain(), 'gh-secret');
    const keyed = await build(t, { USHER_SECRETS_KEY: randomBytes(32).toString('base64') }, { database: api.database });
    assert.match((await plain())!, /^sb1:/);
    assert.equal((await keyed.app.core.upstream.providers.load(github.id))?.secret, 'gh-secret');
  });
});
