import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, build, unique } from '../support/helper.js';
import { members, organization } from './org-fixture.js';

describe('roles and permissions on /api/v1', () => {
  let api: TestApp;
  let admin: string;
  const cleanups: Array<() => Promise<void>> = [];
  before(async () => {
    const ctx = { after: (fn: () => Promise<void>) => cleanups.push(fn) } as never;
    api = await build(ctx, { USHER_WEBHOOK_ALLOW_PRIVATE: 'on' }, { webhookPollMs: 3_600_000 });
    admin = (await api.admin()).token;
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  const create = (body: Record<string, unknown>, token = admin) =>
    api.request('POST', '/api/v1/roles', { token, body });
  const audit = (type: string) =>
    api.database.db.selectFrom('audit_events').selectAll().where('type', '=', type).orderBy('created_at').execute();

  test('admins create, read, change and delete roles; each change audited', async () => {
    const name = unique('billing.');
    const made = await create({
      name,
      description: 'Billing team',
      permissions: ['invoices:write', 'invoices:read', 'invoices:read'],
    });
    assert.equal(made.status, 201, made.raw);
    const role = made.body.data;
    assert.deepEqual(role.permissions, ['invoices:read', 'invoices:write']);
    assert.equal(role.scope, 'global');
    const row = await api.database.db
      .selectFrom('roles')
      .selectAll()
      .where('id', '=', role.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.permissions), ['invoices:read', 'invoices:write']);

    assert.equal((await api.request('GET', `/api/v1/roles/${role.id}`, { token: admin })).body.data.name, name);
    assert.equal((await api.request('GET', `/api/v1/roles/${name}`, { token: admin })).body.data.id, role.id);

    const patched = await api.request('PATCH', `/api/v1/roles/${role.id}`, {
      token: admin,
      body: { permissions: ['reports:*', 'invoices:read'], description: 'Billing' },
    });
    assert.equal(patched.status, 200, patched.raw);
    assert.deepEqual(patched.body.data.permissions, ['invoices:read', 'reports:*']);
    const scope = await api.request('PATCH', `/api/v1/roles/${role.id}`, {
      token: admin,
      body: { scope: 'organization' },
    });
    assert.equal(scope.status, 400, scope.raw);
    assert.match(scope.raw, /scope/);

    const events = (await audit('role.created')).filter((e) => e.details.includes(role.id));
    assert.equal(events.length, 1);
    const updated = (await audit('role.updated')).filter((e) => e.details.includes(role.id));
    assert.equal(updated.length, 1);
    assert.deepEqual(JSON.parse(updated[0]!.details).fields, ['description', 'permissions']);

    assert.equal((await api.request('DELETE', `/api/v1/roles/${role.id}`, { token: admin })).status, 204);
    assert.equal((await api.request('GET', `/api/v1/roles/${role.id}`, { token: admin })).status, 404);
    assert.equal((await audit('role.deleted')).filter((e) => e.details.includes(role.id)).length, 1);
    assert.equal(
      await api.database.db.selectFrom('roles').select('id').where('id', '=', role.id).executeTakeFirst(),
      undefined,
    );
  });

  test('bad input is a 400 and changes nothing; a taken name is a 409', async () => {
    const before = (await api.database.db.selectFrom('roles').select('id').execute()).length;
    for (const body of [
      { name: '' },
      { name: 'has space' },
      { name: 'x'.repeat(65) },
      { name: unique('r'), permissions: ['bad permission'] },
      { name: unique('r'), permissions: ['x'.repeat(129)] },
      { name: unique('r'), permissions: Array.from({ length: 101 }, (_, i) => `p:${i}`) },
      { name: unique('r'), scope: 'tenant' },
      { name: unique('r'), extra: true },
      { permissions: ['a:b'] },
    ]) {
      const res = await create(body);
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.raw}`);
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    }
    assert.equal((await api.database.db.selectFrom('roles').select('id').execute()).length, before);
    const name = unique('dup');
    assert.equal((await create({ name })).status, 201);
    const dup = await create({ name, scope: 'organization' });
    assert.equal(dup.status, 409, dup.raw);
    assert.equal(dup.body.error.code, 'DUPLICATE_RESOURCE');
    const other = await create({ name: unique('other') });
    const rename = await api.request('PATCH', `/api/v1/roles/${other.body.data.id}`, { token: admin, body: { name } });
    assert.equal(rename.status, 409, rename.raw);
  });

  test('moderators read roles and never change them; users read neither', async () => {
    const role = (await create({ name: unique('mod') })).body.data;
    const mod = await api.withRole('moderator');
    assert.equal((await api.request('GET', '/api/v1/roles', { token: mod.token })).status, 200);
    assert.equal((await api.request('GET', `/api/v1/roles/${role.id}`, { token: mod.token })).status, 200);
    for (const [method, url, body] of [
      ['POST', '/api/v1/roles', { name: unique('m') }],
      ['PATCH', `/api/v1/roles/${role.id}`, { description: 'x' }],
      ['DELETE', `/api/v1/roles/${role.id}`, undefined],
      ['PUT', `/api/v1/users/${mod.id}/roles`, { roles: [role.id] }],
    ] as const) {
      const res = await api.request(method, url, { token: mod.token, body });
      assert.equal(res.status, 403, `${method} ${url}: ${res.raw}`);
    }
    const user = await api.user();
    assert.equal((await api.request('GET', '/api/v1/roles', { token: user.token })).status, 403);
  });

  test('list: by name, ?search=, ?scope=, and a cursor', async () => {
    const tag = unique('ls').toLowerCase();
    for (const n of ['a', 'b', 'c']) assert.equal((await create({ name: `${tag}-${n}` })).status, 201);
    assert.equal((await create({ name: `${tag}-org`, scope: 'organization' })).status, 201);
    const first = await api.request('GET', `/api/v1/roles?search=${tag}&limit=2`, { token: admin });
    assert.equal(first.status, 200, first.raw);
    assert.deepEqual(
      first.body.data.map((r: { name: string }) => r.name),
      [`${tag}-a`, `${tag}-b`],
    );
    const next = await api.request(
      'GET',
      `/api/v1/roles?search=${tag}&limit=2&cursor=${first.body.pagination.next_cursor}`,
      { token: admin },
    );
    assert.deepEqual(
      next.body.data.map((r: { name: string }) => r.name),
      [`${tag}-c`, `${tag}-org`],
    );
    const orgOnly = await api.request('GET', `/api/v1/roles?search=${tag}&scope=organization`, { token: admin });
    assert.deepEqual(
      orgOnly.body.data.map((r: { name: string }) => r.name),
      [`${tag}-org`],
    );
    assert.equal((await api.request('GET', '/api/v1/roles?scope=tenant', { token: admin })).status, 400);
  });

  test("a user's global roles by id or name, audited and sent as user.roles_changed; permissions with an organization", async () => {
    const reader = (await create({ name: unique('reader'), permissions: ['invoices:read'] })).body.data;
    const writer = (await create({ name: unique('writer'), permissions: ['invoices:write', 'invoices:read'] })).body
      .data;
    const orgRole = (await create({ name: unique('orgadmin'), scope: 'organization', permissions: ['members:manage'] }))
      .body.data;
    const alice = await api.user();
    const hook = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: 'http://127.0.0.1:9/hook', event_types: ['user.roles_changed'] },
    });
    assert.equal(hook.status, 201, hook.raw);

    const set = await api.request('PUT', `/api/v1/users/${alice.id}/roles`, {
      token: admin,
      body: { roles: [reader.id, writer.name] },
    });
    assert.equal(set.status, 200, set.raw);
    assert.deepEqual(set.body.data.map((r: { id: string }) => r.id).sort(), [reader.id, writer.id].sort());
    const rows = await api.database.db
      .selectFrom('user_roles')
      .select('role_id')
      .where('user_id', '=', alice.id)
      .execute();
    assert.deepEqual(rows.map((r) => r.role_id).sort(), [reader.id, writer.id].sort());
    const events = (await audit('user.roles_changed')).filter((e) => e.target_id === alice.id);
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0]!.details).roles, [reader.name, writer.name].sort());
    // The webhook event: the user as /api/v1 shows it, and the roles by name.
    const [delivery] = await api.database.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'payload'])
      .where('endpoint_id', '=', hook.body.data.id)
      .execute();
    assert.equal(delivery?.event_type, 'user.roles_changed');
    const body = JSON.parse(delivery!.payload);
    assert.equal(body.data.user.id, alice.id);
    assert.deepEqual(body.data.roles, [reader.name, writer.name].sort());
    assert.deepEqual(body.data.from, []);

    for (const roles of [[orgRole.id], ['no-such-role']]) {
      const bad = await api.request('PUT', `/api/v1/users/${alice.id}/roles`, { token: admin, body: { roles } });
      assert.equal(bad.status, 400, bad.raw);
    }
    assert.equal((await api.request('GET', `/api/v1/users/${alice.id}/roles`, { token: admin })).body.data.length, 2);
    assert.equal((await api.request('GET', `/api/v1/users/${alice.id}/roles`, { token: alice.token })).status, 200);
    const bob = await api.user();
    assert.equal((await api.request('GET', `/api/v1/users/${alice.id}/roles`, { token: bob.token })).status, 403);

    const own = await api.request('GET', `/api/v1/users/${alice.id}/permissions`, { token: alice.token });
    assert.equal(own.status, 200, own.raw);
    assert.deepEqual(own.body.data, {
      roles: [reader.name, writer.name].sort(),
      permissions: ['invoices:read', 'invoices:write'],
    });

    const org = await organization(api);
    const ghost = '01900000-0000-7000-8000-000000000000';
    assert.equal(
      (await api.request('GET', `/api/v1/users/${alice.id}/permissions?organization_id=${ghost}`, { token: admin }))
        .status,
      404,
    );
    // Not a member: staff see the global set; the user learns nothing of an organization they are not in.
    const outside = await api.request('GET', `/api/v1/users/${alice.id}/permissions?organization_id=${org}`, {
      token: admin,
    });
    assert.equal(outside.status, 200, outside.raw);
    assert.deepEqual(outside.body.data.organization_roles, []);
    assert.deepEqual(outside.body.data.permissions, ['invoices:read', 'invoices:write']);
    assert.equal(
      (await api.request('GET', `/api/v1/users/${alice.id}/permissions?organization_id=${org}`, { token: alice.token }))
        .status,
      404,
    );

    await members(api).add(org, alice.id, [orgRole.id]);
    const inside = await api.request('GET', `/api/v1/users/${alice.id}/permissions?organization_id=${org}`, {
      token: alice.token,
    });
    assert.equal(inside.status, 200, inside.raw);
    assert.deepEqual(inside.body.data, {
      roles: [reader.name, writer.name].sort(),
      permissions: ['invoices:read', 'invoices:write', 'members:manage'],
      organization_id: org,
      organization_roles: [orgRole.name],
      organization_permissions: ['members:manage'],
    });

    const none = await api.request('PUT', `/api/v1/users/${alice.id}/roles`, { token: admin, body: { roles: [] } });
    assert.deepEqual(none.body.data, []);
    assert.deepEqual(
      (await api.request('GET', `/api/v1/users/${alice.id}/permissions`, { token: admin })).body.data.permissions,
      [],
    );
  });

  test('team roles grant nothing on Usher\'s own API: "admin" with users:write still cannot list users', async () => {
    const fake = (await create({ name: unique('admin'), permissions: ['users:write', 'users:read', '*'] })).body.data;
    await api.request('PATCH', `/api/v1/roles/${fake.id}`, { token: admin, body: { name: 'admin' } });
    const mallory = await api.user();
    const set = await api.request('PUT', `/api/v1/users/${mallory.id}/roles`, {
      token: admin,
      body: { roles: ['admin'] },
    });
    assert.equal(set.status, 200, set.raw);
    const tokens = await api.login(mallory.username);
    assert.equal((await api.request('GET', '/api/v1/users', { token: tokens.access_token })).status, 403);
    assert.equal((await api.request('GET', '/api/v1/roles', { token: tokens.access_token })).status, 403);
  });
});
