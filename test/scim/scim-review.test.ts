import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { PATCH, entraUser, organization, scimClient, scimToken } from './scim-helper.js';

/** Review of issue 28: what a directory's token may bring back. */

test('a re-POST with the externalId of a deleted user who became staff restores nobody', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const org = await organization(api);
  const scim = scimClient(api, await scimToken(api, org));
  const sent = entraUser();
  const made = await scim('POST', '/Users', sent);
  assert.equal(made.status, 201);
  const id = made.body.id;
  // Since provisioned: made a moderator of Usher, then deleted by an admin.
  const promoted = await api.request('PATCH', `/api/v1/users/${id}`, {
    token: admin.token,
    body: { role: 'moderator' },
  });
  assert.equal(promoted.status, 200, promoted.raw);
  assert.equal((await api.request('DELETE', `/api/v1/users/${id}`, { token: admin.token })).status, 204);

  const again = await scim('POST', '/Users', sent);
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.scimType, 'uniqueness');
  const row = await api.database.db
    .selectFrom('users')
    .select(['deleted_at', 'role'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.notEqual(row.deleted_at, null, 'still deleted');
  assert.equal(row.role, 'moderator');
});

test("a directory sees only the members it provisioned or whose address is at the organization's domains", async (t) => {
  const api = await build(t);
  const org = await organization(api);
  const db = api.database.db;
  await db.updateTable('organizations').set({ domains: '["acme.test"]' }).where('id', '=', org).execute();
  await db.insertInto('organization_domains').values({ domain: 'acme.test', organization_id: org }).execute();
  const scim = scimClient(api, await scimToken(api, org));
  const join = (userId: string) =>
    db
      .insertInto('organization_members')
      .values({ organization_id: org, user_id: userId, created_at: new Date().toISOString() })
      .execute();
  // Invited with their own address: a member, but not the directory's.
  const own = await api.withRole('user');
  await join(own.id);
  // An employee at the organization's domain, added by an admin: the directory may take them over.
  const employee = await api.withRole('user', { email: 'emp@acme.test' });
  await join(employee.id);
  // Another address that only ends like the domain.
  const lookalike = await api.withRole('user', { email: 'x@notacme.test' });
  await join(lookalike.id);

  const byName = async (userName: string) =>
    (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body.totalResults;
  assert.equal(await byName(own.username), 0);
  assert.equal(await byName(lookalike.username), 0);
  assert.equal(await byName(employee.username), 1);
  assert.equal((await scim('GET', '/Users')).body.totalResults, 1);
  for (const id of [own.id, lookalike.id]) {
    const repoint = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'attacker@evil.test' }],
    });
    assert.equal(repoint.status, 404, JSON.stringify(repoint.body));
    assert.equal((await scim('DELETE', `/Users/${id}`)).status, 404);
    const group = await scim('POST', '/Groups', { displayName: `G${id.slice(-6)}`, members: [{ value: id }] });
    assert.equal(group.status, 400);
  }
  const rows = await db.selectFrom('users').select(['email', 'deleted_at']).where('id', '=', own.id).execute();
  assert.deepEqual(rows, [{ email: `${own.username}@example.com`, deleted_at: null }], 'unchanged');

  // The directory's own users stay its own whatever their address.
  const made = await scim('POST', '/Users', entraUser());
  assert.equal(made.status, 201);
  assert.equal((await scim('GET', `/Users/${made.body.id}`)).status, 200);
});
