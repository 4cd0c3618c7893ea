import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';
import { addMember, makeOrganization } from './org-fixture.js';

/** PUT/GET/DELETE /api/v1/organizations/{id}/sso, home realm discovery, and enforced SSO refusing passwords. */
test('organization single sign-on: the API', async (t) => {
  const api = await build(t, { USHER_SECRETS_KEY: randomBytes(32).toString('base64') });
  const db = api.database.db;
  const admin = await api.admin();
  const moderator = await api.withRole('moderator');
  const plain = await api.user();
  const acme = await makeOrganization(db, 'Acme Corp', ['acme.test', 'acme-corp.test']);
  const globex = await makeOrganization(db, 'Globex', ['globex.test']);
  const body = { type: 'oidc', issuer: 'https://id.acme.test', client_id: 'usher', client_secret: 'org-secret-1' };
  const put = (org: string, b: unknown, token = admin.token) =>
    api.request('PUT', `/api/v1/organizations/${org}/sso`, { token, body: b });
  const rows = () => db.selectFrom('identity_providers').selectAll().execute();
  const audits = () =>
    db.selectFrom('audit_events').selectAll().where('type', '=', 'organization.sso_changed').orderBy('id').execute();

  await t.test('bad input and unknown organizations are refused, and nothing is stored', async () => {
    assert.equal((await put('0190a0a0-0000-7000-8000-000000000000', body)).status, 404);
    assert.equal((await put('not-an-id', body)).status, 404);
    const github = await put(acme, { ...body, type: 'github' });
    assert.equal(github.status, 400, github.raw);
    const noIssuer = await put(acme, { type: 'oidc', client_id: 'usher' });
    assert.equal(noIssuer.status, 400);
    assert.ok(noIssuer.body.error.details.issuer);
    assert.equal((await put(acme, { ...body, issuer: 'http://id.acme.test' })).status, 400);
    assert.equal((await put(acme, { ...body, token_url: 'https://x.test/token' })).status, 400);
    assert.equal((await put(acme, { ...body, enforced: 'yes' })).status, 400);
    assert.equal((await rows()).length, 0);
    assert.equal((await audits()).length, 0);
  });

  await t.test('an admin sets it: 201, redirect_uri, never the secret (sealed at rest), audited', async () => {
    const res = await put(acme, body);
    assert.equal(res.status, 201, res.raw);
    const sso = res.body.data;
    assert.equal(sso.organization_id, acme);
    assert.equal(sso.display_name, 'Acme Corp');
    assert.equal(sso.enforced, false);
    assert.equal(sso.has_client_secret, true);
    assert.equal(sso.redirect_uri, `${api.config.issuer.replace(/\/+$/, '')}/auth/callback/${sso.id}`);
    assert.ok(!res.raw.includes('org-secret-1'));
    const [row] = await rows();
    assert.equal(row!.organization_id, acme);
    assert.ok(row!.client_secret!.startsWith('sb1:'));
    const [event] = await audits();
    assert.equal(event!.actor_id, admin.id);
    const details = JSON.parse(event!.details);
    assert.deepEqual([details.organization_id, details.action], [acme, 'created']);
    assert.ok(!event!.details.includes('org-secret'));
  });

  await t.test('a second PUT changes the same provider; an absent secret stays', async () => {
    const before = (await rows())[0]!;
    const res = await put(acme, { type: 'oidc', issuer: 'https://id.acme.test', client_id: 'usher', enforced: true });
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.data.id, before.id);
    assert.equal(res.body.data.enforced, true);
    assert.equal(res.body.data.has_client_secret, true);
    const after = (await rows())[0]!;
    assert.equal(after.client_secret, before.client_secret);
    assert.equal(Boolean(after.enforced), true);
    const last = (await audits()).at(-1)!;
    assert.deepEqual(JSON.parse(last.details).fields, ['enforced']);
    // The same again changes nothing and audits nothing.
    const count = (await audits()).length;
    await put(acme, { type: 'oidc', issuer: 'https://id.acme.test', client_id: 'usher', enforced: true });
    assert.equal((await audits()).length, count);
  });

  await t.test('moderators read, only admins change; users neither', async () => {
    const read = await api.request('GET', `/api/v1/organizations/${acme}/sso`, { token: moderator.token });
    assert.equal(read.status, 200);
    assert.equal(read.body.data.organization_id, acme);
    assert.equal((await put(acme, body, moderator.token)).status, 403);
    const del = await api.request('DELETE', `/api/v1/organizations/${acme}/sso`, { token: moderator.token });
    assert.equal(del.status, 403);
    assert.equal((await api.request('GET', `/api/v1/organizations/${acme}/sso`, { token: plain.token })).status, 403);
    assert.equal((await api.request('GET', `/api/v1/organizations/${globex}/sso`, { token: admin.token })).status, 404);
    assert.equal((await rows()).length, 1);
  });

  await t.test('not among the deployment providers, nor the public buttons', async () => {
    const id = (await rows())[0]!.id;
    const list = await api.request('GET', '/api/v1/identity-providers', { token: admin.token });
    assert.deepEqual(list.body.data, []);
    const pub = await api.request('GET', '/api/v1/identity-providers/public');
    assert.deepEqual(pub.body.data, []);
    assert.equal((await api.request('GET', `/api/v1/identity-providers/${id}`, { token: admin.token })).status, 404);
    const patch = await api.request('PATCH', `/api/v1/identity-providers/${id}`, {
      token: admin.token,
      body: { enabled: false },
    });
    assert.equal(patch.status, 404);
  });

  await t.test('discovery: the domain alone decides', async () => {
    const discover = (email: string) => api.request('POST', '/api/v1/auth/sso/discover', { body: { email } });
    const id = (await rows())[0]!.id;
    const hit = await discover('Someone@ACME-corp.test');
    assert.deepEqual(hit.body.data, {
      sso: true,
      provider_id: id,
      display_name: 'Acme Corp',
      url: `/auth/upstream/${id}?to=console`,
    });
    // An address nobody has and one that exists answer alike; other domains and usernames are never routed.
    assert.deepEqual((await discover('nobody-here@acme.test')).body.data, hit.body.data);
    assert.deepEqual((await discover(plain.email)).body.data, { sso: false });
    assert.deepEqual((await discover('globex-person@globex.test')).body.data, { sso: false });
    assert.deepEqual((await discover(plain.username)).body.data, { sso: false });
    assert.equal((await api.request('POST', '/api/v1/auth/sso/discover', { body: {} })).status, 400);
  });

  await t.test('enforced: members and addresses at its domains cannot use a password; admins can', async () => {
    const login = (username: string, password = PASSWORD) =>
      api.request('POST', '/api/v1/auth/login', { body: { username, password } });
    const member = await api.register({ email: `m${Date.now()}@elsewhere.test` });
    await addMember(db, acme, member.id);
    const refused = await login(member.username);
    assert.equal(refused.status, 403, refused.raw);
    assert.equal(refused.body.error.details.reason, 'sso_required');
    assert.ok(!('access_token' in (refused.body.data ?? {})));
    // A wrong password tells nothing more than for anyone.
    assert.equal((await login(member.username, 'Wrong-password-1')).status, 401);
    const atDomain = await api.register({ email: `d${Date.now()}@acme.test` });
    assert.equal((await login(atDomain.username)).status, 403);
    const failed = await db
      .selectFrom('audit_events')
      .select('details')
      .where('type', '=', 'user.login_failed')
      .where('target_id', '=', member.id)
      .execute();
    assert.ok(failed.some((e) => JSON.parse(e.details).reason === 'sso_required'));
    // Usher's admins are exempt (break-glass), and people outside it sign in as before.
    const boss = await api.withRole('admin', { email: `boss${Date.now()}@acme.test` });
    await addMember(db, acme, boss.id);
    assert.equal((await login(boss.username)).status, 200);
    assert.equal((await login(plain.username)).status, 200);
    // Not enforced any more: the member's password works again.
    await put(acme, { type: 'oidc', issuer: 'https://id.acme.test', client_id: 'usher', enforced: false });
    assert.equal((await login(member.username)).status, 200);
  });

  await t.test('two first PUTs at once leave one provider: one 201, the other 200 or 409', async () => {
    const initech = await makeOrganization(db, 'Initech', ['initech.test']);
    const both = await Promise.all([
      put(initech, { type: 'google', client_id: 'a' }),
      put(initech, { type: 'google', client_id: 'b' }),
    ]);
    const statuses = both.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    assert.ok(
      statuses.every((s) => [200, 201, 409].includes(s)),
      JSON.stringify(statuses),
    );
    const mine = await db
      .selectFrom('identity_providers')
      .select('id')
      .where('organization_id', '=', initech)
      .execute();
    assert.equal(mine.length, 1);
    await db.deleteFrom('organizations').where('id', '=', initech).execute();
  });

  await t.test('DELETE removes it (audited); deleting the organization removes its provider', async () => {
    const del = await api.request('DELETE', `/api/v1/organizations/${acme}/sso`, { token: admin.token });
    assert.equal(del.status, 204);
    assert.equal((await rows()).length, 0);
    assert.equal(JSON.parse((await audits()).at(-1)!.details).action, 'deleted');
    assert.equal((await api.request('GET', `/api/v1/organizations/${acme}/sso`, { token: admin.token })).status, 404);
    assert.equal(
      (await api.request('DELETE', `/api/v1/organizations/${acme}/sso`, { token: admin.token })).status,
      404,
    );
    assert.equal((await put(globex, { type: 'google', client_id: 'g' })).status, 201);
    await db.deleteFrom('organizations').where('id', '=', globex).execute();
    assert.equal((await rows()).length, 0);
  });
});
