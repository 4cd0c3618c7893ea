import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { ENTERPRISE, ERROR, PATCH, entraUser, organization, scimClient, scimToken } from './scim-helper.js';

test("Entra's validator sequence: create, filter, PATCH forms, deactivate, groups, delete, re-provision", async (t) => {
  const api = await build(t);
  const org = await organization(api);
  const scim = scimClient(api, await scimToken(api, org));
  const db = api.database.db;

  // Create.
  const sent = entraUser();
  const created = await scim('POST', '/Users', sent);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(String(created.headers['content-type']), /^application\/scim\+json/);
  const id = created.body.id;
  assert.equal(created.body.userName, sent.userName, 'the userName kept as sent');
  assert.equal(created.body.externalId, sent.externalId);
  assert.equal(created.body.active, true);
  assert.equal(created.body.title, 'Engineer', 'attributes Usher has no column for come back');
  assert.deepEqual(created.body[ENTERPRISE], { employeeNumber: '42', department: 'R&D', manager: { value: 'mgr-1' } });
  assert.equal(created.body.meta.resourceType, 'User');
  assert.equal(created.headers.etag, created.body.meta.version);
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.password_hash, null, 'no password');
  assert.equal(row.external_id, sent.externalId);
  assert.match(row.username, /^[A-Za-z0-9_-]+$/, 'a valid Usher username derived from the address');
  assert.deepEqual(JSON.parse(row.custom_data!), { employeeNumber: '42', department: 'R&D', manager: 'mgr-1' });
  assert.ok(
    await db
      .selectFrom('organization_members')
      .selectAll()
      .where('user_id', '=', id)
      .where('organization_id', '=', org)
      .executeTakeFirst(),
  );

  // Duplicate userName → 409 uniqueness.
  const again = await scim('POST', '/Users', { ...sent, externalId: 'other' });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body.schemas, [ERROR]);
  assert.equal(again.body.scimType, 'uniqueness');
  assert.equal(again.body.status, '409');

  // GET filter userName eq (any case), and a miss.
  const found = await scim(
    'GET',
    `/Users?filter=${encodeURIComponent(`userName eq "${sent.userName.toUpperCase()}"`)}`,
  );
  assert.equal(found.status, 200);
  assert.equal(found.body.totalResults, 1);
  assert.equal(found.body.Resources[0].id, id);
  const none = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@x.example"')}`);
  assert.deepEqual([none.body.totalResults, none.body.Resources], [0, []]);

  // PATCH replace, Entra's forms: capitalised op, value object with a dotted path, a filtered path.
  const patched = await scim('PATCH', `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [
      { op: 'Replace', path: 'displayName', value: 'New Display' },
      { op: 'Replace', value: { 'name.givenName': 'Augusta', 'name.familyName': 'King' } },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'augusta@contoso.example.com' },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Maths' },
    ],
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.name.givenName, 'Augusta');
  assert.equal(patched.body.displayName, 'New Display');
  assert.equal(patched.body.emails[0].value, 'augusta@contoso.example.com');
  const after = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(
    [after.first_name, after.last_name, after.email],
    ['Augusta', 'King', 'augusta@contoso.example.com'],
  );
  assert.equal(JSON.parse(after.custom_data!).department, 'Maths');

  // PATCH active "False" → suspended, sessions gone; "True" → active.
  const off = await scim('PATCH', `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  assert.equal(off.body.active, false);
  assert.equal(
    (await db.selectFrom('users').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
    'suspended',
  );
  const on = await scim('PATCH', `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'replace', value: { active: true } }],
  });
  assert.equal(on.body.active, true);

  // Filter externalId eq.
  const byExt = await scim('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${sent.externalId}"`)}`);
  assert.equal(byExt.body.totalResults, 1);

  // Groups: create (a new organization role), add a member, remove through members[value eq].
  const group = await scim('POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Finance',
    externalId: 'g1',
  });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  const role = await db.selectFrom('roles').selectAll().where('name', '=', 'Finance').executeTakeFirstOrThrow();
  assert.deepEqual([role.scope, role.permissions], ['organization', '[]']);
  // Made through the roles' insertRole: one role.created, of the same shape as an admin's, naming the push.
  const roleEvents = await db.selectFrom('audit_events').select('details').where('type', '=', 'role.created').execute();
  assert.equal(roleEvents.length, 1);
  const roleEvent = JSON.parse(roleEvents[0]!.details);
  assert.deepEqual(roleEvent, {
    role_id: role.id,
    name: 'Finance',
    scope: 'organization',
    permissions: [],
    organization_id: org,
    via: 'scim',
    scim_token_id: roleEvent.scim_token_id,
  });
  const gid = group.body.id;
  const byName = await scim(
    'GET',
    `/Groups?filter=${encodeURIComponent('displayName eq "finance"')}&excludedAttributes=members`,
  );
  assert.equal(byName.body.totalResults, 1);
  assert.equal(byName.body.Resources[0].members, undefined);
  const add = await scim('PATCH', `/Groups/${gid}`, {
    schemas: [PATCH],
    Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
  });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  assert.deepEqual(
    add.body.members.map((m: { value: string }) => m.value),
    [id],
  );
  const held = () =>
    db
      .selectFrom('organization_member_roles')
      .selectAll()
      .where('user_id', '=', id)
      .where('role_id', '=', role.id)
      .execute();
  assert.equal((await held()).length, 1);
  const stranger = await scim('PATCH', `/Groups/${gid}`, {
    schemas: [PATCH],
    Operations: [{ op: 'Add', path: 'members', value: [{ value: crypto.randomUUID() }] }],
  });
  assert.equal(stranger.status, 400);
  assert.equal(stranger.body.scimType, 'invalidValue');
  const remove = await scim('PATCH', `/Groups/${gid}`, {
    schemas: [PATCH],
    Operations: [{ op: 'Remove', path: `members[value eq "${id}"]` }],
  });
  assert.equal(remove.status, 200);
  assert.deepEqual(remove.body.members, []);
  assert.equal((await held()).length, 0);

  // DELETE: soft delete, out of the organization; then 404.
  assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
  assert.notEqual(
    (await db.selectFrom('users').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()).deleted_at,
    null,
  );
  assert.equal(
    await db.selectFrom('organization_members').selectAll().where('user_id', '=', id).executeTakeFirst(),
    undefined,
  );
  assert.equal((await scim('GET', `/Users/${id}`)).status, 404);

  // Re-POST with the same externalId: the same user, restored.
  const back = await scim('POST', '/Users', sent);
  assert.equal(back.status, 201, JSON.stringify(back.body));
  assert.equal(back.body.id, id);
  assert.equal(
    (await db.selectFrom('users').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()).deleted_at,
    null,
  );
  assert.equal((await scim('GET', `/Users/${id}`)).status, 200);

  // Audit: the membership and the token, in the trail.
  const types = (await db.selectFrom('audit_events').select('type').execute()).map((e) => e.type);
  for (const type of [
    'scim_token.created',
    'organization.member_added',
    'organization.member_removed',
    'user.status_changed',
    'role.created',
    'organization.member_roles_changed',
  ])
    assert.ok(types.includes(type), type);
});

test("Okta's sequence: POST with a password (ignored), PUT replace, list with startIndex and count", async (t) => {
  const api = await build(t);
  const scim = scimClient(api, await scimToken(api, await organization(api)));
  const body = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'okta.user@example.com',
    name: { givenName: 'Okta', familyName: 'User' },
    emails: [{ primary: true, value: 'okta.user@example.com', type: 'work' }],
    password: 'short',
    active: true,
  };
  const created = await scim('POST', '/Users', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.password, undefined);
  const row = await api.database.db
    .selectFrom('users')
    .select(['password_hash', 'username'])
    .where('id', '=', created.body.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.password_hash, null, 'the password is ignored, not held to the policy');
  assert.equal(row.username, 'okta_user');

  const put = await scim(
    'PUT',
    `/Users/${created.body.id}`,
    { ...body, name: { givenName: 'Changed', familyName: 'User' } },
    { 'if-match': created.body.meta.version },
  );
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.name.givenName, 'Changed');
  const stale = await scim('PUT', `/Users/${created.body.id}`, body, { 'if-match': created.body.meta.version });
  assert.equal(stale.status, 412);
  assert.deepEqual(stale.body.schemas, [ERROR]);

  const list = await scim(
    'GET',
    `/Users?filter=${encodeURIComponent('userName eq "okta.user@example.com"')}&startIndex=1&count=100`,
  );
  assert.equal(list.status, 200);
  assert.deepEqual([list.body.totalResults, list.body.startIndex, list.body.itemsPerPage], [1, 1, 1]);
  const bad = await scim('GET', `/Users?filter=${encodeURIComponent('userName xx "a"')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.scimType, 'invalidFilter');
});
