import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserManagementClient } from '../../packages/client/src/index.js';
import { createVerifier, hasPermission } from '../../packages/client/src/server.js';
import { PASSWORD } from '../support/helper.js';
import { startIssuer } from '../support/oidc.js';
import { members, organization } from './org-fixture.js';

/** The SDK's roles, users' roles and permissions, organization tokens and `hasPermission`, against a listening Usher. */
test('SDK: client.roles, users.setRoles/roles/permissions, auth.refresh with an organization, hasPermission', async (t) => {
  const op = await startIssuer(t);
  const baseURL = `${op.issuer}/api/v1`;
  const admin = new UserManagementClient({ baseURL, username: 'root_admin', password: PASSWORD });
  const billing = await admin.roles.create({ name: 'billing', permissions: ['invoices:read', 'invoices:write'] });
  const owner = await admin.roles.create({ name: 'org-owner', scope: 'organization', permissions: ['members:invite'] });
  assert.equal((await admin.roles.get('billing')).id, billing.id);
  const renamed = await admin.roles.update(billing.id, { description: 'Billing', permissions: ['invoices:read'] });
  assert.deepEqual(renamed.permissions, ['invoices:read']);
  assert.deepEqual(
    (await admin.roles.list({ scope: 'organization' })).data.map((r) => r.name),
    ['org-owner'],
  );

  const u = await op.api.user();
  assert.deepEqual(
    (await admin.users.setRoles(u.id, ['billing'])).map((r) => r.id),
    [billing.id],
  );
  assert.deepEqual(
    (await admin.users.roles(u.id)).map((r) => r.name),
    ['billing'],
  );
  const org = await organization(op.api);
  await members(op.api).add(org, u.id, [owner.id]);
  const perms = await admin.users.permissions(u.id, { organizationId: org });
  assert.deepEqual(perms.permissions, ['invoices:read', 'members:invite']);
  assert.deepEqual(perms.organization_roles, ['org-owner']);

  const me = new UserManagementClient({ baseURL });
  const tokens = await me.auth.login({ username: u.username, password: PASSWORD, organization_id: org });
  assert.ok('access_token' in tokens);
  const verifier = createVerifier({ issuer: op.issuer });
  const claims = await verifier.verify(tokens.access_token);
  assert.equal(hasPermission(claims, 'invoices:read'), true);
  assert.equal(hasPermission(claims, 'members:invite'), false, 'an organization permission needs the organization');
  assert.equal(hasPermission(claims, 'members:invite', { organizationId: org }), true);
  assert.equal(hasPermission(claims, 'members:invite', { organizationId: 'another' }), false);
  assert.equal(hasPermission(claims, 'invoices:write', { organizationId: org }), false);

  const out = await me.auth.refresh(undefined, null);
  const plain = await verifier.verify(out.access_token);
  assert.equal(plain.org_id, undefined);
  assert.equal(hasPermission(plain, 'members:invite', { organizationId: org }), false);

  await admin.roles.delete(owner.id);
  await assert.rejects(admin.roles.get(owner.id), (e: { status?: number }) => e.status === 404);
});
