import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { PASSWORD } from '../support/helper.js';
import { Agent, REDIRECT, signIn, startIssuer } from '../support/oidc.js';
import { members, organization } from './org-fixture.js';

/** The OpenID provider's `roles` and `organizations` scopes, with openid-client as the relying party. */
test('OIDC: roles releases roles and permissions, organizations the ids of the orgs; only when granted', async (t) => {
  const op = await startIssuer(t);
  const { api } = op;
  const admin = (await api.admin()).token;
  const role = (body: Record<string, unknown>) => api.request('POST', '/api/v1/roles', { token: admin, body });
  const editor = (await role({ name: 'editor', permissions: ['posts:write', 'posts:read'] })).body.data;
  const owner = (await role({ name: 'owner', scope: 'organization', permissions: ['billing:manage'] })).body.data;
  const user = await api.user();
  await api.request('PUT', `/api/v1/users/${user.id}/roles`, { token: admin, body: { roles: [editor.id] } });
  const [orgA, orgB] = [await organization(api), await organization(api)];
  await members(api).add(orgA, user.id, [owner.id]);
  await members(api).add(orgB, user.id);

  const app = await op.application({
    name: 'Blog',
    type: 'web',
    redirect_uris: [REDIRECT],
    scopes: ['openid', 'profile', 'roles', 'organizations', 'offline_access'],
  });
  const rp = await op.relyingParty(app);
  assert.ok(rp.serverMetadata().scopes_supported?.includes('organizations'));
  const { tokens } = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    scope: 'openid profile roles organizations',
  });
  const id = tokens.claims()!;
  assert.deepEqual(id.roles, ['editor']);
  assert.deepEqual(id.permissions, ['posts:read', 'posts:write']);
  assert.equal(id.usher_role, 'user');
  assert.deepEqual((id.organizations as string[]).sort(), [orgA, orgB].sort());
  const info = await client.fetchUserInfo(rp, tokens.access_token, user.id);
  assert.deepEqual(info.roles, ['editor']);
  assert.deepEqual((info.organizations as string[]).sort(), [orgA, orgB].sort());

  // Without the scopes, none of these claims.
  const { tokens: plain } = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    scope: 'openid profile',
  });
  const bare = plain.claims()!;
  for (const claim of ['roles', 'permissions', 'organizations', 'usher_role'])
    assert.equal(bare[claim], undefined, claim);
});
