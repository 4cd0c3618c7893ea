import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { PASSWORD, unique } from '../support/helper.js';
import { turnTotpOn } from '../support/hosted-flow.js';
import { startIssuer } from '../support/oidc.js';
import { members, organization } from './org-fixture.js';

/**
 * /api/v1 tokens carry the team's roles and permissions, and with organization_id the member's grants there:
 * checked as a resource server would, against the JWKS of a listening server.
 */
test('access tokens: roles and permissions; organization_id on login and refresh; a removed member is refused', async (t) => {
  const op = await startIssuer(t);
  const { api } = op;
  const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
  const claims = async (token: string) => (await jwtVerify(token, jwks, { issuer: op.issuer })).payload;
  const admin = (await api.admin()).token;
  const role = async (body: Record<string, unknown>) => {
    const res = await api.request('POST', '/api/v1/roles', { token: admin, body: { name: unique('r'), ...body } });
    assert.equal(res.status, 201, res.raw);
    return res.body.data as { id: string; name: string };
  };
  const reader = await role({ permissions: ['invoices:read'] });
  const orgAdmin = await role({ scope: 'organization', permissions: ['members:invite', 'invoices:write'] });
  const [orgA, orgB] = [await organization(api), await organization(api)];
  const alice = await api.user();
  assert.equal(
    (await api.request('PUT', `/api/v1/users/${alice.id}/roles`, { token: admin, body: { roles: [reader.name] } }))
      .status,
    200,
  );
  await members(api).add(orgA, alice.id, [orgAdmin.id]);
  const login = (body: Record<string, unknown>) =>
    api.request('POST', '/api/v1/auth/login', { body: { username: alice.username, password: PASSWORD, ...body } });
  const refresh = (refresh_token: string, body: Record<string, unknown> = {}) =>
    api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token, ...body } });
  const sessions = async () =>
    api.database.db.selectFrom('sessions').select(['id', 'organization_id']).where('user_id', '=', alice.id).execute();

  const plain = await login({});
  assert.equal(plain.status, 200, plain.raw);
  const p = await claims(plain.body.access_token);
  assert.deepEqual([p.roles, p.permissions, p.org_id], [[reader.name], ['invoices:read'], undefined]);

  const before = (await sessions()).length;
  for (const org of [orgB, '01900000-0000-7000-8000-000000000000']) {
    const refused = await login({ organization_id: org });
    assert.equal(refused.status, 403, refused.raw);
    assert.equal(refused.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  }
  assert.equal((await sessions()).length, before, 'no session was started');

  const inA = await login({ organization_id: orgA });
  assert.equal(inA.status, 200, inA.raw);
  const a = await claims(inA.body.access_token);
  assert.equal(a.org_id, orgA);
  assert.deepEqual(a.org_roles, [orgAdmin.name]);
  assert.deepEqual(a.org_permissions, ['invoices:write', 'members:invite']);
  assert.deepEqual(a.permissions, ['invoices:read']);
  const sid = a.sid as string;
  assert.equal((await sessions()).find((s) => s.id === sid)?.organization_id, orgA);
  // Usher's own API reads nothing more for such a token.
  assert.equal((await api.request('GET', `/api/v1/users/${alice.id}`, { token: inA.body.access_token })).status, 200);

  // A refresh keeps the session's organization; another one the user is not in is refused and changes nothing.
  const kept = await refresh(inA.body.refresh_token);
  assert.equal(kept.status, 200, kept.raw);
  assert.equal((await claims(kept.body.access_token)).org_id, orgA);
  let token = kept.body.refresh_token as string;
  const wrong = await refresh(token, { organization_id: orgB });
  assert.equal(wrong.status, 403, wrong.raw);
  assert.equal((await sessions()).find((s) => s.id === sid)?.organization_id, orgA);
  const again = await refresh(token);
  assert.equal(again.status, 200, 'the refused refresh token still works');
  token = again.body.refresh_token;

  // Switching: to B once a member there, then to none.
  await members(api).add(orgB, alice.id);
  const toB = await refresh(token, { organization_id: orgB });
  assert.equal(toB.status, 200, toB.raw);
  const b = await claims(toB.body.access_token);
  assert.deepEqual([b.org_id, b.org_roles, b.org_permissions], [orgB, [], []]);
  assert.equal((await sessions()).find((s) => s.id === sid)?.organization_id, orgB);
  const none = await refresh(toB.body.refresh_token, { organization_id: null });
  assert.equal(none.status, 200, none.raw);
  assert.equal((await claims(none.body.access_token)).org_id, undefined);
  assert.equal((await sessions()).find((s) => s.id === sid)?.organization_id, null);
  const backToA = await refresh(none.body.refresh_token, { organization_id: orgA });
  assert.equal((await claims(backToA.body.access_token)).org_id, orgA);

  // Removed from A: the session's next refresh for A is refused (403, the token still good), without it works.
  await members(api).remove(orgA, alice.id);
  const removed = await refresh(backToA.body.refresh_token);
  assert.equal(removed.status, 403, removed.raw);
  const out = await refresh(backToA.body.refresh_token, { organization_id: null });
  assert.equal(out.status, 200, out.raw);
  const o = await claims(out.body.access_token);
  assert.deepEqual([o.org_id, o.roles], [undefined, [reader.name]]);

  // Changed roles reach the next token.
  await api.request('PUT', `/api/v1/users/${alice.id}/roles`, { token: admin, body: { roles: [] } });
  const after = await refresh(out.body.refresh_token);
  assert.deepEqual((await claims(after.body.access_token)).roles, []);
});

test('with TOTP on, organization_id at login goes through the challenge: the verify step gives the organization claims', async (t) => {
  const op = await startIssuer(t);
  const { api } = op;
  const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
  const claims = async (token: string) => (await jwtVerify(token, jwks, { issuer: op.issuer })).payload;
  const admin = (await api.admin()).token;
  const res = await api.request('POST', '/api/v1/roles', {
    token: admin,
    body: { name: unique('r'), scope: 'organization', permissions: ['invoices:write'] },
  });
  assert.equal(res.status, 201, res.raw);
  const orgRole = res.body.data as { id: string; name: string };
  const [orgA, orgB] = [await organization(api), await organization(api)];
  const bob = await api.user();
  await members(api).add(orgA, bob.id, [orgRole.id]);
  const totp = await turnTotpOn(api, bob.token);
  const verify = async (organization_id: string) => {
    const login = await api.request('POST', '/api/v1/auth/login', {
      body: { username: bob.username, password: PASSWORD, organization_id },
    });
    assert.equal(login.status, 200, login.raw);
    assert.ok(login.body.mfa_token && !login.body.access_token, 'a challenge, no tokens yet');
    const kept = await api.database.db
      .selectFrom('mfa_challenges')
      .select('organization_id')
      .where('user_id', '=', bob.id)
      .where('used_at', 'is', null)
      .execute();
    assert.deepEqual(
      kept.map((r) => r.organization_id),
      [organization_id],
    );
    api.clock.advance(30_000); // a fresh TOTP step for each sign-in
    return api.request('POST', '/api/v1/auth/mfa/verify', {
      body: { mfa_token: login.body.mfa_token, code: totp.generate({ timestamp: api.clock.now() }) },
    });
  };

  const inA = await verify(orgA);
  assert.equal(inA.status, 200, inA.raw);
  const a = await claims(inA.body.access_token);
  assert.equal(a.org_id, orgA);
  assert.deepEqual(a.org_roles, [orgRole.name]);
  assert.deepEqual(a.org_permissions, ['invoices:write']);
  const session = await api.database.db
    .selectFrom('sessions')
    .select('organization_id')
    .where('id', '=', a.sid as string)
    .executeTakeFirst();
  assert.equal(session?.organization_id, orgA);

  // Not a member of B: the verify step refuses as a login without a second factor does, and starts no session.
  const before = await api.database.db.selectFrom('sessions').select('id').where('user_id', '=', bob.id).execute();
  const inB = await verify(orgB);
  assert.equal(inB.status, 403, inB.raw);
  assert.equal(inB.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  const after = await api.database.db.selectFrom('sessions').select('id').where('user_id', '=', bob.id).execute();
  assert.equal(after.length, before.length);
});
