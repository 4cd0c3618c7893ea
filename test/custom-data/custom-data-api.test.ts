import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';

/** custom_data and external_id on /api/v1 users, and the user schema (issue 28 §3): HTTP in, database out. */

const MAX = 16 * 1024;
const stored = async (api: Awaited<ReturnType<typeof build>>, id: string) =>
  api.database.db
    .selectFrom('users')
    .select(['custom_data', 'external_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const PLAN_SCHEMA = {
  type: 'object',
  properties: {
    plan: { enum: ['free', 'pro'] },
    nickname: { type: 'string', maxLength: 20, 'x-user-editable': true },
    seats: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
};

test('custom_data: {} by default, written whole at create, merged by PATCH, replaced by PUT; 16 KiB exactly', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const u = await api.register();
  assert.deepEqual(u.body.data.custom_data, {});
  assert.equal(u.body.data.external_id, null);
  assert.equal((await stored(api, u.id)).custom_data, null);

  const made = await api.request('POST', '/api/v1/users', {
    token: admin.token,
    body: {
      username: 'cd_made',
      email: 'cd_made@example.com',
      password: 'SecurePass123!',
      custom_data: { a: 1, b: { c: [1, 2] } },
    },
  });
  assert.equal(made.status, 201);
  assert.deepEqual(made.body.data.custom_data, { a: 1, b: { c: [1, 2] } });
  const id = made.body.data.id;
  assert.deepEqual(JSON.parse((await stored(api, id)).custom_data!), { a: 1, b: { c: [1, 2] } });

  // PATCH merges the top level; null removes a property.
  const patched = await api.request('PATCH', `/api/v1/users/${id}`, {
    token: admin.token,
    body: { custom_data: { a: null, d: 'x' } },
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(patched.body.data.custom_data, { b: { c: [1, 2] }, d: 'x' });
  // GET (through the users cache) shows what was written.
  const read = await api.request('GET', `/api/v1/users/${id}`, { token: admin.token });
  assert.deepEqual(read.body.data.custom_data, { b: { c: [1, 2] }, d: 'x' });

  // PUT replaces the whole object.
  const put = await api.request('PUT', `/api/v1/users/${id}`, {
    token: admin.token,
    body: { custom_data: { e: true } },
  });
  assert.equal(put.status, 200);
  assert.deepEqual(put.body.data.custom_data, { e: true });
  assert.deepEqual(JSON.parse((await stored(api, id)).custom_data!), { e: true });

  // 16 KiB of JSON exactly passes; one byte more is refused, nothing changes.
  const fits = { k: 'x'.repeat(MAX - 8) };
  assert.equal(Buffer.byteLength(JSON.stringify(fits)), MAX);
  const ok = await api.request('PUT', `/api/v1/users/${id}`, { token: admin.token, body: { custom_data: fits } });
  assert.equal(ok.status, 200);
  const over = await api.request('PUT', `/api/v1/users/${id}`, {
    token: admin.token,
    body: { custom_data: { k: 'x'.repeat(MAX - 7) } },
  });
  assert.equal(over.status, 400);
  assert.match(over.body.error.details.custom_data, /16384 bytes/);
  assert.equal((await stored(api, id)).custom_data, JSON.stringify(fits));

  // Not an object: refused, in the envelope.
  for (const bad of [[1, 2], 'text', 3]) {
    const res = await api.request('PATCH', `/api/v1/users/${id}`, { token: admin.token, body: { custom_data: bad } });
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
  }
  // Clearing with PUT {} stores NULL.
  await api.request('PUT', `/api/v1/users/${id}`, { token: admin.token, body: { custom_data: {} } });
  assert.equal((await stored(api, id)).custom_data, null);
});

test('the user schema refuses custom_data with Ajv field messages; moderators read it, only admins set it', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  const none = await api.request('GET', '/api/v1/user-schema', { token: mod.token });
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.data, { schema: null, version: null, updated_at: null });

  const denied = await api.request('PUT', '/api/v1/user-schema', { token: mod.token, body: { schema: PLAN_SCHEMA } });
  assert.equal(denied.status, 403);
  const set = await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: PLAN_SCHEMA } });
  assert.equal(set.status, 200);
  assert.deepEqual(set.body.data.schema, PLAN_SCHEMA);
  assert.ok(set.body.data.version);
  const read = await api.request('GET', '/api/v1/user-schema', { token: mod.token });
  assert.deepEqual(read.body.data, set.body.data);
  const audit = await api.database.db
    .selectFrom('audit_events')
    .select('type')
    .where('type', '=', 'user_schema.changed')
    .execute();
  assert.equal(audit.length, 1);

  const u = await api.register();
  const bad = await api.request('PATCH', `/api/v1/users/${u.id}`, {
    token: admin.token,
    body: { custom_data: { plan: 'gold', seats: 0, extra: 1 } },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'VALIDATION_ERROR');
  assert.equal(bad.body.error.details['custom_data.plan'], 'must be one of "free", "pro"');
  assert.equal(bad.body.error.details['custom_data.seats'], 'must be >= 1');
  assert.equal(bad.body.error.details['custom_data.extra'], 'is not allowed by the user schema');
  assert.equal((await stored(api, u.id)).custom_data, null);

  const created = await api.request('POST', '/api/v1/users', {
    token: admin.token,
    body: { username: 'cd_bad', email: 'cd_bad@example.com', password: 'SecurePass123!', custom_data: { plan: 1 } },
  });
  assert.equal(created.status, 400);
  assert.ok(created.body.error.details['custom_data.plan']);
  const good = await api.request('PATCH', `/api/v1/users/${u.id}`, {
    token: admin.token,
    body: { custom_data: { plan: 'pro', seats: 3 } },
  });
  assert.equal(good.status, 200);
  assert.deepEqual(JSON.parse((await stored(api, u.id)).custom_data!), { plan: 'pro', seats: 3 });
});

test('an invalid schema is refused and the stored one stays', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const put = (schema: unknown) => api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema } });
  assert.equal((await put(PLAN_SCHEMA)).status, 200);
  const cases: Array<[unknown, RegExp]> = [
    [{ type: 'array' }, /object/],
    [{ type: 'object', properties: { a: { type: 'nope' } } }, /compile/],
    [{ type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }, /local/],
    [{ type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }, /repeat/],
    [{ type: 'object', unknownKeyword: true }, /compile/],
    [{ type: 'object', description: 'x'.repeat(64 * 1024) }, /65536 bytes/],
  ];
  for (const [schema, message] of cases) {
    const res = await put(schema);
    assert.equal(res.status, 400, JSON.stringify(schema).slice(0, 80));
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.match(Object.values(res.body.error.details).join(' '), message);
  }
  const now = await api.request('GET', '/api/v1/user-schema', { token: admin.token });
  assert.deepEqual(now.body.data.schema, PLAN_SCHEMA);
});

test('a schema existing users break is refused naming them (at most ten), and stored with ?force=true', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const u = await api.register();
    await api.request('PATCH', `/api/v1/users/${u.id}`, {
      token: admin.token,
      body: { custom_data: { plan: `p${i}` } },
    });
    ids.push(u.id);
  }
  const fine = await api.register();
  await api.request('PATCH', `/api/v1/users/${fine.id}`, {
    token: admin.token,
    body: { custom_data: { plan: 'free' } },
  });
  const schema = { type: 'object', properties: { plan: { enum: ['free', 'pro'] } } };
  const refused = await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema } });
  assert.equal(refused.status, 422);
  const named = refused.body.error.details.users as Array<{ id: string; field: string; message: string }>;
  assert.equal(named.length, 10);
  assert.deepEqual(
    named.map((n) => n.id),
    [...ids].sort().slice(0, 10),
  );
  assert.equal(named[0]!.field, 'custom_data.plan');
  const still = await api.request('GET', '/api/v1/user-schema', { token: admin.token });
  assert.equal(still.body.data.schema, null);

  // Users without custom_data hold {}: a `required` property names them too.
  const requiring = { type: 'object', required: ['plan'] };
  const missing = await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: requiring } });
  assert.equal(missing.status, 422);
  assert.ok(missing.body.error.details.users.some((u: { id: string }) => u.id === admin.id));

  const forced = await api.request('PUT', '/api/v1/user-schema?force=true', { token: admin.token, body: { schema } });
  assert.equal(forced.status, 200);
  assert.deepEqual(forced.body.data.schema, schema);
  // Removing it (null) is always allowed.
  const removed = await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: null } });
  assert.equal(removed.status, 200);
  assert.equal(removed.body.data.schema, null);
});

test('a user changes only the properties marked x-user-editable, and nothing without a schema', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const me = await api.user();
  const patch = (body: unknown) => api.request('PATCH', `/api/v1/users/${me.id}`, { token: me.token, body });

  const noSchema = await patch({ custom_data: { nickname: 'kay' } });
  assert.equal(noSchema.status, 403);
  assert.equal((await stored(api, me.id)).custom_data, null);

  await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: PLAN_SCHEMA } });
  await api.request('PATCH', `/api/v1/users/${me.id}`, { token: admin.token, body: { custom_data: { plan: 'free' } } });

  const mine = await patch({ custom_data: { nickname: 'kay' } });
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body.data.custom_data, { plan: 'free', nickname: 'kay' });
  // Another property, even with an editable one beside it: 403 and nothing changes.
  const theirs = await patch({ custom_data: { nickname: 'kim', plan: 'pro' } });
  assert.equal(theirs.status, 403);
  assert.match(theirs.body.error.message, /custom_data\.plan/);
  assert.deepEqual(JSON.parse((await stored(api, me.id)).custom_data!), { plan: 'free', nickname: 'kay' });
  // Removing a locked property is a change too; giving it unchanged is not.
  assert.equal((await patch({ custom_data: { plan: null } })).status, 403);
  assert.equal((await patch({ custom_data: { plan: 'free', nickname: 'kim' } })).status, 200);
  // PUT by the user: the whole object, with the locked properties as they are.
  const put = await api.request('PUT', `/api/v1/users/${me.id}`, {
    token: me.token,
    body: { custom_data: { plan: 'free' } },
  });
  assert.equal(put.status, 200);
  assert.deepEqual(put.body.data.custom_data, { plan: 'free' });
  // The schema still applies to what the user may edit.
  const long = await patch({ custom_data: { nickname: 'x'.repeat(21) } });
  assert.equal(long.status, 400);
  assert.ok(long.body.error.details['custom_data.nickname']);
  // Registration: only editable properties.
  const reg = await api.request('POST', '/api/v1/users', {
    body: { username: 'cd_reg', email: 'cd_reg@example.com', password: 'SecurePass123!', custom_data: { plan: 'pro' } },
  });
  assert.equal(reg.status, 403);
  // external_id is the admins' to set.
  assert.equal((await patch({ external_id: 'mine' })).status, 403);
});

test('external_id: set by admins, unique (409 naming the field), found with ?external_id=', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const mod = await api.withRole('moderator');
  const a = await api.register();
  const b = await api.register();
  const set = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: admin.token,
    body: { external_id: 'crm-42' },
  });
  assert.equal(set.status, 200);
  assert.equal(set.body.data.external_id, 'crm-42');
  assert.equal((await stored(api, a.id)).external_id, 'crm-42');

  const taken = await api.request('PATCH', `/api/v1/users/${b.id}`, {
    token: admin.token,
    body: { external_id: 'crm-42' },
  });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.code, 'DUPLICATE_RESOURCE');
  assert.equal(taken.body.error.details.field, 'external_id');
  assert.equal((await stored(api, b.id)).external_id, null);

  const made = await api.request('POST', '/api/v1/users', {
    token: admin.token,
    body: { username: 'cd_ext', email: 'cd_ext@example.com', password: 'SecurePass123!', external_id: 'crm-42' },
  });
  assert.equal(made.status, 409);
  assert.equal(made.body.error.details.field, 'external_id');

  for (const bad of ['', 'x'.repeat(256), 'tab\there']) {
    const res = await api.request('PATCH', `/api/v1/users/${b.id}`, { token: admin.token, body: { external_id: bad } });
    assert.equal(res.status, 400, bad);
  }
  const max = 'y'.repeat(255);
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${b.id}`, { token: admin.token, body: { external_id: max } })).status,
    200,
  );

  const found = await api.request('GET', '/api/v1/users?external_id=crm-42', { token: mod.token });
  assert.equal(found.status, 200);
  assert.deepEqual(
    found.body.data.map((u: { id: string }) => u.id),
    [a.id],
  );
  assert.equal(found.body.pagination.total, 1);
  // Exact: no prefix or case-folded match.
  for (const q of ['crm-4', 'CRM-42']) {
    const res = await api.request('GET', `/api/v1/users?external_id=${q}`, { token: mod.token });
    assert.deepEqual(res.body.data, []);
  }
  // Other filters still apply.
  const wrongRole = await api.request('GET', '/api/v1/users?external_id=crm-42&role=admin', { token: mod.token });
  assert.deepEqual(wrongRole.body.data, []);

  // null clears it, and the id is free again.
  await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { external_id: null } });
  assert.equal((await stored(api, a.id)).external_id, null);
  const reuse = await api.request('PATCH', `/api/v1/users/${b.id}`, {
    token: admin.token,
    body: { external_id: 'crm-42' },
  });
  assert.equal(reuse.status, 200);
});
