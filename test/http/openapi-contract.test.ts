import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { PASSWORD, type TestApp, build, contractOf, tempDir, unique } from '../support/helper.js';
import { makeOrganization } from '../organization-sso/org-fixture.js';
import { mailedCode } from '../support/hosted-flow.js';
import { passkeyTraffic } from '../support/passkey-traffic.js';
import { customDataTraffic } from '../support/custom-data-traffic.js';
import { scimTokenTraffic } from '../support/scim-traffic.js';
import { webhookTraffic } from '../support/webhook-traffic.js';
import { organizationTraffic } from '../support/organization-traffic.js';
import { roleTraffic } from '../support/role-traffic.js';

/**
 * The OpenAPI document as a contract (issue 14). Every request below goes
 * through `api.request`, which checks the exchange against the app's own
 * /openapi.json in both directions (test/contract.ts) and fails on any
 * disagreement. This file drives every documented operation, its successes
 * and its usual failures, on every surface; then it checks that nothing was
 * left out, and lints the document with Redocly's recommended rules.
 */

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const NO_ONE = '01900000-0000-7000-8000-000000000000';
const totp = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

async function expect(api: TestApp, status: number, ...args: Parameters<TestApp['request']>) {
  const res = await api.request(...args);
  assert.equal(res.status, status, `${args[0]} ${args[1]}: ${res.raw.slice(0, 300)}`);
  return res;
}

async function apiV1(api: TestApp) {
  const admin = await api.admin();
  const auth = { token: admin.token };
  // Users: create (anonymous and as admin), the usual refusals, idempotent retries.
  const name = unique();
  const created = await expect(api, 201, 'POST', '/api/v1/users', {
    body: {
      username: name,
      email: `${name}@example.com`,
      password: PASSWORD,
      first_name: 'Ada',
      date_of_birth: '1990-02-03',
      preferences: { theme: 'dark' },
    },
  });
  const id = created.body.data.id;
  await expect(api, 201, 'POST', '/api/v1/users', {
    ...auth,
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD, role: 'moderator' },
  });
  await expect(api, 400, 'POST', '/api/v1/users', {
    body: { username: 'x', email: 'not-an-email', password: 'short' },
  });
  await expect(api, 400, 'POST', '/api/v1/users', {
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD, extra: 1 },
  });
  await expect(api, 400, 'POST', '/api/v1/users', {});
  await expect(api, 409, 'POST', '/api/v1/users', {
    body: { username: name, email: `${unique()}@example.com`, password: PASSWORD },
  });
  await expect(api, 415, 'POST', '/api/v1/users', { raw: 'username=x', headers: { 'content-type': 'text/plain' } });
  await expect(api, 400, 'POST', '/api/v1/users', {
    raw: '{"username":',
    headers: { 'content-type': 'application/json' },
  });
  await expect(api, 413, 'POST', '/api/v1/users', { body: { username: 'x'.repeat(2_000_000) } });
  const retry = { username: unique(), email: `${unique()}@example.com`, password: PASSWORD };
  const key = { 'idempotency-key': unique('idem') };
  await expect(api, 201, 'POST', '/api/v1/users', { body: retry, headers: key });
  const replay = await expect(api, 201, 'POST', '/api/v1/users', { body: retry, headers: key });
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  await expect(api, 422, 'POST', '/api/v1/users', { body: { ...retry, first_name: 'Other' }, headers: key });

  // Reads, lists, writes with and without If-Match.
  const read = await expect(api, 200, 'GET', `/api/v1/users/${id}`, auth);
  await expect(api, 401, 'GET', `/api/v1/users/${id}`);
  await expect(api, 404, 'GET', `/api/v1/users/${NO_ONE}`, auth);
  await expect(api, 404, 'GET', '/api/v1/users/not-a-uuid', auth);
  await expect(api, 200, 'GET', '/api/v1/users', auth);
  const page = await expect(
    api,
    200,
    'GET',
    '/api/v1/users?limit=2&sort=username&order=asc&status=active&role=user&search=u',
    auth,
  );
  if (page.body.pagination.next_cursor)
    await expect(
      api,
      200,
      'GET',
      `/api/v1/users?limit=2&cursor=${encodeURIComponent(page.body.pagination.next_cursor)}`,
      auth,
    );
  await expect(api, 200, 'GET', '/api/v1/users?page=2&limit=1', auth);
  await expect(api, 400, 'GET', '/api/v1/users?limit=0', auth);
  await expect(api, 400, 'GET', '/api/v1/users?cursor=garbage', auth);
  await expect(api, 400, 'GET', '/api/v1/users?sort=password', auth);
  await expect(api, 200, 'PATCH', `/api/v1/users/${id}`, {
    ...auth,
    body: { bio: 'Hello', phone_number: '+1-555-0123' },
    headers: { 'if-match': read.headers.etag as string },
  });
  await expect(api, 412, 'PATCH', `/api/v1/users/${id}`, {
    ...auth,
    body: { bio: 'Again' },
    headers: { 'if-match': read.headers.etag as string },
  });
  await expect(api, 200, 'PATCH', `/api/v1/users/${id}`, auth);
  await expect(api, 400, 'PATCH', `/api/v1/users/${id}`, { ...auth, body: { date_of_birth: '1990-02-30' } });
  await expect(api, 200, 'PUT', `/api/v1/users/${id}`, { ...auth, body: { first_name: 'Ada', last_name: 'Lovelace' } });
  await expect(api, 400, 'PUT', `/api/v1/users/${id}`, { ...auth, body: { role: 'emperor' } });
  await expect(api, 414, 'GET', `/api/v1/users/${'x'.repeat(500)}`, auth);

  // Tokens: login, refresh, logout (by bearer, and by refresh token alone).
  await expect(api, 401, 'POST', '/api/v1/auth/login', { body: { username: name, password: 'Wrong-password-1' } });
  await expect(api, 400, 'POST', '/api/v1/auth/login', { body: { username: name } });
  const tokens = (
    await expect(api, 200, 'POST', '/api/v1/auth/login', { body: { email: `${name}@example.com`, password: PASSWORD } })
  ).body;
  const next = (
    await expect(api, 200, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } })
  ).body;
  // Within the reuse grace window a second use gets the same successor; after it, reuse is 401 (and ends the session).
  assert.equal(
    (await expect(api, 200, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } })).body
      .refresh_token,
    next.refresh_token,
  );
  api.clock.advance(11_000);
  await expect(api, 401, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } });
  await expect(api, 200, 'POST', '/api/v1/auth/logout', { body: { refresh_token: next.refresh_token } });
  const own = (await expect(api, 200, 'POST', '/api/v1/auth/login', { body: { username: name, password: PASSWORD } }))
    .body;
  await expect(api, 403, 'GET', '/api/v1/users', { token: own.access_token });

  // Sessions: one's own, and a user's as the admin sees them.
  const sessions = (await expect(api, 200, 'GET', '/api/v1/auth/sessions', { token: own.access_token })).body.data;
  await expect(api, 404, 'DELETE', `/api/v1/auth/sessions/${NO_ONE}`, { token: own.access_token });
  const second = (
    await expect(api, 200, 'POST', '/api/v1/auth/login', { body: { username: name, password: PASSWORD } })
  ).body;
  const theirs = (await expect(api, 200, 'GET', `/api/v1/users/${id}/sessions`, auth)).body.data;
  const other = theirs.find((s: { id: string }) => s.id !== sessions[0].id);
  await expect(api, 204, 'DELETE', `/api/v1/users/${id}/sessions/${other.id}`, auth);
  await expect(api, 404, 'DELETE', `/api/v1/users/${id}/sessions/${other.id}`, auth);
  await expect(api, 401, 'GET', '/api/v1/auth/sessions', { token: second.access_token });
  await expect(api, 204, 'DELETE', `/api/v1/auth/sessions/${sessions[0].id}`, { token: own.access_token });
  const third = (await expect(api, 200, 'POST', '/api/v1/auth/login', { body: { username: name, password: PASSWORD } }))
    .body;
  await expect(api, 200, 'POST', '/api/v1/auth/logout-all', { token: third.access_token });
  await expect(api, 204, 'DELETE', `/api/v1/users/${id}/sessions`, auth);
  await expect(api, 200, 'POST', '/api/v1/auth/logout', { token: (await api.login(name)).access_token });

  // Second factor: set up, confirm, log in with it, turn off; an admin's reset.
  const mine = (await api.login(name)).access_token;
  const setup = (await expect(api, 200, 'POST', '/api/v1/auth/mfa/totp', { token: mine, body: { password: PASSWORD } }))
    .body.data;
  await expect(api, 400, 'POST', '/api/v1/auth/mfa/totp/confirm', { token: mine, body: { code: '000000' } });
  await expect(api, 200, 'POST', '/api/v1/auth/mfa/totp/confirm', {
    token: mine,
    body: { code: totp(setup.secret, api.clock.now()) },
  });
  const challenge = (
    await expect(api, 200, 'POST', '/api/v1/auth/login', { body: { username: name, password: PASSWORD } })
  ).body;
  assert.equal(challenge.mfa_required, true);
  await expect(api, 401, 'POST', '/api/v1/auth/mfa/verify', { body: { mfa_token: 'nope', code: '123456' } });
  api.clock.advance(30_000);
  const mfaTokens = (
    await expect(api, 200, 'POST', '/api/v1/auth/mfa/verify', {
      body: { mfa_token: challenge.mfa_token, code: totp(setup.secret, api.clock.now()) },
    })
  ).body;
  await expect(api, 400, 'DELETE', '/api/v1/auth/mfa/totp', {
    token: mfaTokens.access_token,
    body: { password: 'Wrong-password-1' },
  });
  await expect(api, 204, 'DELETE', '/api/v1/auth/mfa/totp', {
    token: mfaTokens.access_token,
    body: { password: PASSWORD },
  });
  await expect(api, 204, 'DELETE', `/api/v1/users/${id}/mfa`, auth);

  // Email verification and password reset: accepted whatever the address (no enumeration); wrong codes refused.
  await expect(api, 202, 'POST', '/api/v1/auth/verify-email/request', { body: { email: `${name}@example.com` } });
  await expect(api, 202, 'POST', '/api/v1/auth/verify-email/request', { body: { email: 'nobody@example.com' } });
  await expect(api, 400, 'POST', '/api/v1/auth/verify-email', {
    body: { email: `${name}@example.com`, code: '000000' },
  });
  await expect(api, 202, 'POST', '/api/v1/auth/password-reset/request', { body: { email: `${name}@example.com` } });
  await expect(api, 400, 'POST', '/api/v1/auth/password-reset', {
    body: { email: `${name}@example.com`, code: '000000', new_password: 'Another-pass-42' },
  });
  await expect(api, 400, 'POST', '/api/v1/auth/password-reset/request', { body: { email: 'x'.repeat(300) } });

  // API keys and the audit log.
  const newKey = (
    await expect(api, 201, 'POST', '/api/v1/api-keys', { ...auth, body: { name: unique('key'), role: 'moderator' } })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/api-keys', { ...auth, body: { name: '' } });
  await expect(api, 200, 'GET', '/api/v1/api-keys', auth);
  await expect(api, 403, 'GET', '/api/v1/api-keys', { apiKey: newKey.key });
  await expect(api, 200, 'GET', `/api/v1/users/${id}`, { apiKey: newKey.key });
  // Applications (the provider's clients).
  const application = (
    await expect(api, 201, 'POST', '/api/v1/applications', {
      ...auth,
      body: { name: 'Shop', type: 'web', redirect_uris: ['https://shop.example.com/cb'] },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/applications', { ...auth, body: { name: 'Shop', type: 'spa' } });
  await expect(api, 200, 'GET', '/api/v1/applications?search=sho&limit=5', auth);
  await expect(api, 200, 'GET', `/api/v1/applications/${application.client_id}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/applications/${application.id}`, { ...auth, body: { first_party: true } });
  await expect(api, 200, 'POST', `/api/v1/applications/${application.id}/secret`, auth);
  await expect(api, 403, 'POST', `/api/v1/applications/${application.id}/secret`, { apiKey: newKey.key });
  await expect(api, 204, 'DELETE', `/api/v1/applications/${application.id}`, auth);
  await expect(api, 404, 'GET', `/api/v1/applications/${NO_ONE}`, auth);
  // Consents given at the hosted pages (none here: the OpenID flows have their own tests).
  await expect(api, 200, 'GET', '/api/v1/auth/consents', auth);
  await expect(api, 401, 'GET', '/api/v1/auth/consents');
  await expect(api, 404, 'DELETE', `/api/v1/auth/consents/${application.id}`, auth);
  // Upstream identity providers and linked identities (their flows have their own tests, test/upstream/).
  const idp = (
    await expect(api, 201, 'POST', '/api/v1/identity-providers', {
      ...auth,
      body: { type: 'google', client_id: 'c.apps.googleusercontent.com', client_secret: 's' },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/identity-providers', { ...auth, body: { type: 'oidc', client_id: 'c' } });
  await expect(api, 200, 'GET', '/api/v1/identity-providers', auth);
  await expect(api, 200, 'GET', '/api/v1/identity-providers/public');
  await expect(api, 200, 'GET', `/api/v1/identity-providers/${idp.id}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/identity-providers/${idp.id}`, { ...auth, body: { enabled: false } });
  await expect(api, 200, 'GET', '/api/v1/auth/identities', auth);
  await expect(api, 404, 'POST', `/api/v1/auth/identities/${idp.id}/link`, auth);
  await expect(api, 404, 'DELETE', `/api/v1/auth/identities/${idp.id}`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/identity-providers/${idp.id}`, auth);
  // An organization's single sign-on (its flows: test/organization-sso/); the organization written to its tables.
  const org = await makeOrganization(api.database.db, 'Contract Co', ['contract.test']);
  const sso = { type: 'google', client_id: 'c.apps.googleusercontent.com' };
  await expect(api, 201, 'PUT', `/api/v1/organizations/${org}/sso`, { ...auth, body: sso });
  await expect(api, 200, 'PUT', `/api/v1/organizations/${org}/sso`, { ...auth, body: { ...sso, enforced: true } });
  await expect(api, 400, 'PUT', `/api/v1/organizations/${org}/sso`, {
    ...auth,
    body: { type: 'github', client_id: 'c' },
  });
  await expect(api, 200, 'GET', `/api/v1/organizations/${org}/sso`, auth);
  await expect(api, 200, 'POST', '/api/v1/auth/sso/discover', { body: { email: 'ann@contract.test' } });
  await expect(api, 204, 'DELETE', `/api/v1/organizations/${org}/sso`, auth);
  await expect(api, 404, 'GET', `/api/v1/organizations/${org}/sso`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/api-keys/${newKey.id}`, auth);
  await expect(api, 404, 'DELETE', `/api/v1/api-keys/${NO_ONE}`, auth);
  await expect(api, 200, 'GET', `/api/v1/audit-events?target_id=${id}&limit=5`, auth);
  await expect(api, 400, 'GET', '/api/v1/audit-events?type=nonsense', auth);
  await expect(api, 200, 'GET', '/api/v1/stats/summary', auth);
  await expect(api, 400, 'GET', '/api/v1/stats/summary?days=7', auth);
  await expect(api, 401, 'GET', '/api/v1/stats/summary');

  // Signing keys and their JWKS.
  await expect(api, 200, 'GET', '/.well-known/jwks.json');
  await expect(api, 200, 'GET', '/api/v1/signing-keys', auth);
  await expect(api, 200, 'POST', '/api/v1/signing-keys/rotate', auth);
  await expect(api, 401, 'POST', '/api/v1/signing-keys/rotate');

  // Delete and restore.
  await expect(api, 404, 'POST', `/api/v1/users/${id}/restore`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/users/${id}`, auth);
  await expect(api, 404, 'DELETE', `/api/v1/users/${id}`, auth);
  await expect(api, 200, 'GET', '/api/v1/users?status=deleted', auth);
  await expect(api, 200, 'POST', `/api/v1/users/${id}/restore`, auth);
}

async function keyedV1(api: TestApp) {
  const { key } = await api.apiKey();
  const auth = { apiKey: key };
  const name = unique();
  const created = await expect(api, 201, 'POST', '/v1/users', {
    ...auth,
    body: {
      username: name,
      email: `${name}@example.com`,
      password: PASSWORD,
      status: 'active',
      profile: { first_name: 'Grace', phone: '+44 20 7946 0958' },
    },
  });
  const id = created.body.id;
  await expect(api, 401, 'POST', '/v1/users', {
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD },
  });
  await expect(api, 409, 'POST', '/v1/users', {
    ...auth,
    body: { username: name, email: `${unique()}@example.com`, password: PASSWORD },
  });
  await expect(api, 422, 'POST', '/v1/users', { ...auth, body: { username: name } });
  await expect(api, 200, 'GET', '/v1/users', auth);
  const page = await expect(api, 200, 'GET', '/v1/users?limit=1&offset=0&status=active', auth);
  if (page.body.next_cursor)
    await expect(api, 200, 'GET', `/v1/users?limit=1&cursor=${encodeURIComponent(page.body.next_cursor)}`, auth);
  await expect(api, 400, 'GET', '/v1/users?cursor=garbage', auth);
  await expect(api, 401, 'GET', '/v1/users');
  const read = await expect(api, 200, 'GET', `/v1/users/${id}`, auth);
  await expect(api, 404, 'GET', `/v1/users/${NO_ONE}`, auth);
  await expect(api, 200, 'PUT', `/v1/users/${id}`, {
    ...auth,
    body: { profile: { last_name: 'Hopper' } },
    headers: { 'if-match': read.headers.etag as string },
  });
  await expect(api, 412, 'PUT', `/v1/users/${id}`, {
    ...auth,
    body: { status: 'suspended' },
    headers: { 'if-match': read.headers.etag as string },
  });
  const login = await expect(api, 200, 'POST', '/v1/auth/login', {
    ...auth,
    body: { username: name, password: PASSWORD },
  });
  await expect(api, 401, 'POST', '/v1/auth/login', { ...auth, body: { username: name, password: 'Wrong-password-1' } });
  await expect(api, 200, 'POST', '/v1/auth/logout', { ...auth, token: login.body.access_token });
  await expect(api, 200, 'DELETE', `/v1/users/${id}`, auth);
  await expect(api, 404, 'DELETE', `/v1/users/${id}`, auth);
}

async function profiles(api: TestApp) {
  const admin = await api.admin();
  const auth = { token: admin.token };
  const name = unique();
  const created = await expect(api, 201, 'POST', '/api/users/profiles', {
    ...auth,
    body: { username: name, email: `${name}@example.com`, preferences: { theme: 'light', notifications: false } },
  });
  const id = created.body.user_id;
  await expect(api, 409, 'POST', '/api/users/profiles', {
    ...auth,
    body: { username: name, email: `${unique()}@example.com` },
  });
  await expect(api, 401, 'POST', '/api/users/profiles', {
    body: { username: unique(), email: `${unique()}@example.com` },
  });
  const read = await expect(api, 200, 'GET', `/api/users/profiles/${id}`, auth);
  await expect(api, 404, 'GET', `/api/users/profiles/${NO_ONE}`, auth);
  await expect(api, 200, 'PUT', `/api/users/profiles/${id}`, {
    ...auth,
    body: { preferences: { notifications: true } },
    headers: { 'if-match': read.headers.etag as string },
  });
  await expect(api, 412, 'PUT', `/api/users/profiles/${id}`, {
    ...auth,
    body: { preferences: { theme: 'dark' } },
    headers: { 'if-match': read.headers.etag as string },
  });
  await expect(api, 400, 'PUT', `/api/users/profiles/${id}`, { ...auth, body: { preferences: { theme: 7 } } });
  await expect(api, 204, 'DELETE', `/api/users/profiles/${id}`, auth);
  await expect(api, 404, 'DELETE', `/api/users/profiles/${id}`, auth);
}

async function account(api: TestApp) {
  for (const slash of ['/', '']) {
    const name = unique();
    const reg = await expect(api, 201, 'POST', `/api/register${slash}`, {
      body: {
        username: name,
        email: `${name}@example.com`,
        password: PASSWORD,
        first_name: 'Alan',
        image: PNG.toString('base64'),
      },
    });
    await expect(api, 409, 'POST', `/api/register${slash}`, {
      body: { username: name, email: `${unique()}@example.com`, password: PASSWORD },
    });
    await expect(api, 400, 'POST', `/api/register${slash}`, {
      body: { username: name, email: `${name}@example.com`, password: PASSWORD, image: 'bm90IGFuIGltYWdl' },
    });
    const picture = new URL(reg.body.user.image, 'http://usher.test').pathname;
    await expect(api, 200, 'GET', picture);
    await expect(api, 401, 'POST', `/api/login${slash}`, { body: { username: name, password: 'Wrong-password-1' } });
    const token = (
      await expect(api, 200, 'POST', `/api/login${slash}`, { body: { username: name, password: PASSWORD } })
    ).body.token;
    const auth = { headers: { authorization: `Token ${token}` } };
    await expect(api, 200, 'GET', `/api/profile${slash}`, auth);
    await expect(api, 401, 'GET', `/api/profile${slash}`);
    await expect(api, 200, 'PUT', `/api/profile${slash}`, { ...auth, body: { last_name: 'Turing', image: null } });
    await expect(api, 400, 'PUT', `/api/profile${slash}`, { ...auth, body: { username: 'no spaces allowed' } });
    await expect(api, 400, 'PUT', `/api/change_password${slash}`, {
      ...auth,
      body: { old_password: 'Wrong-password-1', new_password: 'Another-pass-42' },
    });
    await expect(api, 200, 'PUT', `/api/change_password${slash}`, {
      ...auth,
      body: { old_password: PASSWORD, new_password: 'Another-pass-42' },
    });
    const again = (
      await expect(api, 200, 'POST', `/api/login${slash}`, { body: { username: name, password: 'Another-pass-42' } })
    ).body.token;
    await expect(api, 200, 'POST', `/api/logout${slash}`, { headers: { authorization: `Token ${again}` }, body: {} });
    await expect(api, 401, 'POST', `/api/logout${slash}`, { headers: { authorization: `Token ${again}` } });
  }
  await expect(api, 404, 'GET', '/pictures/01900000000070008000000000000000');
  await expect(api, 404, 'GET', '/pictures/..%2F..%2Fetc');
  await expect(api, 400, 'GET', `/pictures/${'a'.repeat(70)}`);
}

async function consoleSession(api: TestApp) {
  const console = { 'x-usher-console': '1' };
  await expect(api, 400, 'POST', '/console/api/session', { body: { login: 'root_admin', password: PASSWORD } });
  await expect(api, 401, 'POST', '/console/api/session', {
    headers: console,
    body: { login: 'root_admin', password: 'Wrong-password-1' },
  });
  const plain = await api.register();
  await expect(api, 403, 'POST', '/console/api/session', {
    headers: console,
    body: { login: plain.email, password: PASSWORD },
  });
  const signedIn = await expect(api, 200, 'POST', '/console/api/session', {
    headers: console,
    body: { login: 'root_admin', password: PASSWORD },
  });
  assert.equal(signedIn.body.user.username, 'root_admin');
  const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
  assert.match(String(signedIn.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  await expect(api, 200, 'POST', '/console/api/session/refresh', { headers: { ...console, cookie } });
  await expect(api, 401, 'POST', '/console/api/session/refresh', { headers: console });
  await expect(api, 401, 'POST', '/console/api/session/mfa', {
    headers: console,
    body: { mfa_token: 'nope', code: '123456' },
  });
  await expect(api, 204, 'DELETE', '/console/api/session', { headers: { ...console, cookie } });
  await expect(api, 200, 'GET', '/console');
}

/** Sign-in with a mailed code (USHER_EMAIL_SIGN_IN=on), through /api/v1 and the console. */
async function emailSignIn(api: TestApp) {
  const console = { 'x-usher-console': '1' };
  await expect(api, 202, 'POST', '/api/v1/auth/email-sign-in/request', { body: { email: 'root@example.com' } });
  await expect(api, 400, 'POST', '/api/v1/auth/email-sign-in', { body: { email: 'root@example.com', code: 'x' } });
  const code = await mailedCode(api, 'root@example.com', 'sign-in');
  await expect(api, 200, 'POST', '/api/v1/auth/email-sign-in', { body: { email: 'root@example.com', code } });
  await expect(api, 200, 'GET', '/console/api/session/email', { headers: console });
  await expect(api, 202, 'POST', '/console/api/session/email/request', {
    headers: console,
    body: { email: 'root@example.com' },
  });
  const again = await mailedCode(api, 'root@example.com', 'sign-in');
  await expect(api, 200, 'POST', '/console/api/session/email', {
    headers: console,
    body: { email: 'root@example.com', code: again },
  });
}

test('real traffic on every surface agrees with the OpenAPI document, in both directions, and covers every operation', async (t) => {
  const api = await build(t, { USHER_EMAIL_SIGN_IN: 'on' });
  await expect(api, 200, 'GET', '/health');
  await expect(api, 200, 'GET', '/ready');
  await expect(api, 200, 'GET', '/openapi.json');
  await expect(api, 200, 'GET', '/docs');
  await apiV1(api);
  await keyedV1(api);
  await profiles(api);
  await account(api);
  await consoleSession(api);
  await emailSignIn(api);
  await passkeyTraffic(api, expect);
  await webhookTraffic(api, expect);
  await organizationTraffic(api, expect);
  await roleTraffic(api, expect);
  await customDataTraffic(api, expect);
  await scimTokenTraffic(api, expect);

  // Rate limits: 429 with Retry-After, documented on the operation.
  const limited = await build(t, { USHER_RATE_LIMIT: 'on', USHER_RATE_LIMIT_LOGIN_PER_MIN: '2' });
  let status = 0;
  for (let i = 0; i < 5 && status !== 429; i++)
    status = (
      await limited.request('POST', '/api/login/', { body: { username: 'nobody', password: 'Wrong-password-1' } })
    ).status;
  assert.equal(status, 429);

  const contract = contractOf(api.app);
  const missed = contract.operations().filter((op) => !contract.covered.has(op));
  assert.deepEqual(missed, [], 'every documented operation was exercised');
  // And the other way: every route the server answers is in the document (HEAD aside), but for
  // GET /docs/{file}: the /docs page's static files (Swagger UI's script and stylesheet), not an API
  // operation, and hidden from the document on purpose (src/http/docs.routes.ts); GET /docs itself is documented.
  const documented = new Set(contract.operations());
  // The same for GET /console/*: the console's files and its pages' paths (src/surfaces/console/page.routes.ts).
  // (Fastify's route tree prints that wildcard under its parent, as /console*.)
  // The OpenID provider's endpoints (/oidc/*, printed as the bare wildcard `*`, its token endpoint and discovery) are
  // described by OpenID discovery, not OpenAPI; the hosted sign-in pages, the mailed links' pages (/auth/mail),
  // their stylesheet and scripts are pages (the passkey's options there are for the page's own script).
  const provider = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY'].map((m) => `${m} *`);
  // SCIM (/scim/v2) describes itself (ServiceProviderConfig, ResourceTypes, Schemas), as RFC 7644 has it.
  const page = (op: string) => / \/(oidc\/interaction|auth\/mail|scim\/v2)\//.test(op);
  const hidden = new Set([
    'GET /docs/{file}',
    'GET /console*',
    ...provider,
    'GET /oidc/assets/hosted.css',
    'GET /oidc/assets/webauthn.js',
    'GET /oidc/assets/passkey.js',
    'POST /oidc/token',
    'GET /.well-known/openid-configuration',
    // Sign-in with an upstream identity provider: the hosted page's button and hand-off, the start and the callback,
    // and a link's confirmation page's form.
    'POST /oidc/interaction/{uid}/upstream/{id}',
    'GET /oidc/interaction/{uid}/upstream/done',
    'GET /auth/upstream/{id}',
    'GET /auth/callback/{id}',
    'POST /auth/link',
  ]);
  const undocumented = serverRoutes(api.app).filter((op) => !hidden.has(op) && !page(op) && !documented.has(op));
  assert.deepEqual(undocumented, [], 'every route the server has is documented');
});

/** The server's routes as "METHOD /path/{param}", from Fastify's route tree. */
function serverRoutes(app: TestApp['app']): string[] {
  const prefixes: string[] = [];
  const out: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? '') + m[2];
    prefixes[depth] = path;
    for (const method of m[3]?.split(', ') ?? [])
      if (method !== 'HEAD') out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  assert.ok(out.length > 40, 'the route tree was read');
  return out;
}

test('redocly lint (recommended rules, redocly.yaml) finds no error in the served document', async (t) => {
  const api = await build(t);
  const dir = tempDir('usher-openapi-');
  const file = join(dir, 'openapi.json');
  writeFileSync(file, (await api.request('GET', '/openapi.json')).raw);
  const run = spawnSync(
    process.execPath,
    ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--config', 'redocly.yaml', '--format', 'json'],
    {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  const errors = report.problems.filter((p: { severity: string }) => p.severity === 'error');
  assert.deepEqual(
    errors.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`),
    [],
  );
  assert.equal(run.status, 0, run.stderr);
});
