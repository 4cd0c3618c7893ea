import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { entraUser, organization, scimClient, scimToken } from './scim-helper.js';

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
  const promoted = await api.request('PATCH', `/api/v1/users/${id}`, { token: admin.token, body: { role: 'moderator' } });
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
