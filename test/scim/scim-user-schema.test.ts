import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { ENTERPRISE, ERROR, PATCH, entraUser, organization, scimClient, scimToken } from './scim-helper.js';

/**
 * The Enterprise extension's keys go into custom_data, which the admins' user schema governs: a strict schema that
 * does not allow them refuses the provisioning with a SCIM 400 (invalidValue) whose detail names the offending key,
 * and nothing is written; a schema that allows them lets the same requests through (docs/decisions.md).
 */
test('SCIM under a strict user schema: a refused Enterprise key is a SCIM 400 naming it, and writes nothing', async (t) => {
  const api = await build(t);
  const org = await organization(api);
  const scim = scimClient(api, await scimToken(api, org));
  const admin = await api.admin();
  const db = api.database.db;
  const strict = {
    type: 'object',
    properties: { department: { type: 'string', maxLength: 10 } },
    additionalProperties: false,
  };
  const set = await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: strict } });
  assert.equal(set.status, 200, set.raw);
  const users = async () => (await db.selectFrom('users').select('id').execute()).length;
  const before = await users();

  const sent = entraUser();
  const refused = await scim('POST', '/Users', sent);
  assert.equal(refused.status, 400, JSON.stringify(refused.body));
  assert.match(String(refused.headers['content-type']), /^application\/scim\+json/);
  assert.deepEqual(refused.body.schemas, [ERROR]);
  assert.equal(refused.body.status, '400');
  assert.equal(refused.body.scimType, 'invalidValue');
  assert.match(refused.body.detail, /custom_data/);
  assert.match(refused.body.detail, /employeeNumber|manager/, 'the detail names a key the schema refuses');
  assert.equal(await users(), before, 'no user was created');
  assert.equal((await db.selectFrom('scim_users').select('user_id').execute()).length, 0);

  // Without the keys the schema refuses, the same directory's user is provisioned.
  const allowed = await scim('POST', '/Users', { ...sent, [ENTERPRISE]: { department: 'R&D' } });
  assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  const id = allowed.body.id as string;
  const row = await db.selectFrom('users').select('custom_data').where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(row.custom_data!), { department: 'R&D' });

  // An update the schema refuses: a 400 in the same envelope, and the user and its SCIM row stay as they were.
  const link = async () =>
    db.selectFrom('scim_users').select(['user_name', 'updated_at']).where('user_id', '=', id).executeTakeFirstOrThrow();
  const linkBefore = await link();
  const patched = await scim('PATCH', `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [
      { op: 'Replace', path: 'userName', value: `renamed-${sent.userName}` },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Far too long a department' },
    ],
  });
  assert.equal(patched.status, 400, JSON.stringify(patched.body));
  assert.equal(patched.body.scimType, 'invalidValue');
  assert.match(patched.body.detail, /department/);
  const after = await db.selectFrom('users').select('custom_data').where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(after.custom_data!), { department: 'R&D' });
  assert.deepEqual(await link(), linkBefore, 'the SCIM row is unchanged: the update is one transaction');
});
