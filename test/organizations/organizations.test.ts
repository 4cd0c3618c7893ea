import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { addRole } from './org-fixtures.js';

/** Organizations through /api/v1 and the database, on SQLite and PostgreSQL. */

test('admins create, list, get, update and delete organizations; each change is audited; the database holds the domains', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const made = await api.request('POST', '/api/v1/organizations', {
    token,
    body: { name: 'Acme Corp', domains: ['acme.com', 'acme.io'], custom_data: { plan: 'gold' } },
  });
  assert.equal(made.status, 201, made.raw);
  const org = made.body.data;
  assert.match(org.id, /^[0-9a-f-]{36}$/);
  assert.equal(org.slug, 'acme-corp', 'derived from the name');
  assert.deepEqual(org.domains, ['acme.com', 'acme.io']);
  assert.deepEqual(org.custom_data, { plan: 'gold' });
  const domains = await api.database.db.selectFrom('organization_domains').selectAll().orderBy('domain').execute();
  assert.deepEqual(domains, [
    { domain: 'acme.com', organization_id: org.id },
    { domain: 'acme.io', organization_id: org.id },
  ]);

  for (const url of [`/api/v1/organizations/${org.id}`, '/api/v1/organizations/acme-corp']) {
    const got = await api.request('GET', url, { token });
    assert.equal(got.status, 200, got.raw);
    assert.deepEqual(got.body.data, org);
  }

  api.clock.advance(1000);
  const patched = await api.request('PATCH', `/api/v1/organizations/${org.id}`, {
    token,
    body: { name: 'Acme Inc', domains: ['acme.io', 'acme.net'] },
  });
  assert.equal(patched.status, 200, patched.raw);
  assert.equal(patched.body.data.name, 'Acme Inc');
  assert.equal(patched.body.data.slug, 'acme-corp', 'a slug stays when the name changes');
  assert.deepEqual(patched.body.data.custom_data, { plan: 'gold' }, 'absent: kept');
  assert.ok(patched.body.data.updated_at > org.updated_at);
  const after = await api.database.db.selectFrom('organization_domains').select('domain').orderBy('domain').execute();
  assert.deepEqual(
    after.map((d) => d.domain),
    ['acme.io', 'acme.net'],
  );

  assert.equal((await api.request('DELETE', `/api/v1/organizations/${org.id}`, { token })).status, 204);
  assert.equal((await api.request('GET', `/api/v1/organizations/${org.id}`, { token })).status, 404);
  assert.equal((await api.database.db.selectFrom('organization_domains').selectAll().execute()).length, 0);
  assert.equal((await api.request('DELETE', `/api/v1/organizations/${org.id}`, { token })).status, 404);

  const audit = await api.database.db
    .selectFrom('audit_events')
    .select(['type', 'details'])
    .where('type', 'like', 'organization.%')
    .orderBy('id')
    .execute();
  assert.deepEqual(
    audit.map((e) => e.type),
    ['organization.created', 'organization.updated', 'organization.deleted'],
  );
  assert.deepEqual(JSON.parse(String(audit[1]!.details)).changes, ['name', 'domains']);
});

test('bad input is a 400 that changes nothing; a taken slug or domain is a 409 naming it', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const first = await api.request('POST', '/api/v1/organizations', {
    token,
    body: { name: 'First', slug: 'first', domains: ['first.example'] },
  });
  assert.equal(first.status, 201, first.raw);
  const bad: Array<[unknown, string]> = [
    [{ name: '' }, 'name'],
    [{ name: 'X', slug: 'Has Caps' }, 'slug'],
    [{ name: 'X', slug: 'ab' }, 'slug'],
    [{ name: 'X', slug: '-dash' }, 'slug'],
    [{ name: 'X', domains: ['Upper.COM'] }, 'domains'],
    [{ name: 'X', domains: ['https://x.com'] }, 'domains'],
    [{ name: 'X', domains: ['x.com', 'x.com'] }, 'domains'],
    [{ name: 'X', domains: ['localhost'] }, 'domains'],
    [{ name: 'X', custom_data: { big: 'x'.repeat(17_000) } }, 'custom_data'],
  ];
  for (const [body, field] of bad) {
    const res = await api.request('POST', '/api/v1/organizations', { token, body });
    assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.raw}`);
    assert.ok(res.raw.includes(field), res.raw);
  }
  const slug = await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Other', slug: 'first' } });
  assert.equal(slug.status, 409);
  assert.match(slug.body.error.message, /first/);
  const domain = await api.request('POST', '/api/v1/organizations', {
    token,
    body: { name: 'Other', slug: 'other', domains: ['new.example', 'first.example'] },
  });
  assert.equal(domain.status, 409);
  assert.match(domain.body.error.message, /first\.example/);
  // A derived slug that is taken gets a suffix instead.
  const derived = await api.request('POST', '/api/v1/organizations', { token, body: { name: 'First' } });
  assert.equal(derived.status, 201, derived.raw);
  assert.match(derived.body.data.slug, /^first-[0-9a-f]{4}$/);
  const patch = await api.request('PATCH', `/api/v1/organizations/${derived.body.data.id}`, {
    token,
    body: { domains: ['first.example'] },
  });
  assert.equal(patch.status, 409);
  const rows = await api.database.db.selectFrom('organizations').select('slug').orderBy('slug').execute();
  assert.equal(rows.length, 2, 'nothing was made by the refused requests');
  assert.deepEqual(
    (await api.database.db.selectFrom('organization_domains').select('domain').execute()).map((r) => r.domain),
    ['first.example'],
  );
});

test('moderators read but do not change; users and anonymous callers see nothing', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const org = (await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Readable' } })).body.data;
  const moderator = await api.withRole('moderator');
  assert.equal((await api.request('GET', '/api/v1/organizations', { token: moderator.token })).status, 200);
  assert.equal((await api.request('GET', `/api/v1/organizations/${org.id}`, { token: moderator.token })).status, 200);
  assert.equal(
    (await api.request('GET', `/api/v1/organizations/${org.id}/members`, { token: moderator.token })).status,
    200,
  );
  for (const [method, url, body] of [
    ['POST', '/api/v1/organizations', { name: 'No' }],
    ['PATCH', `/api/v1/organizations/${org.id}`, { name: 'No' }],
    ['DELETE', `/api/v1/organizations/${org.id}`, undefined],
    ['POST', `/api/v1/organizations/${org.id}/members`, { user_id: moderator.id }],
    ['POST', `/api/v1/organizations/${org.id}/invitations`, { email: 'a@example.com' }],
  ] as const) {
    const res = await api.request(method, url, { token: moderator.token, body });
    assert.equal(res.status, 403, `${method} ${url}`);
  }
  const user = await api.user();
  assert.equal((await api.request('GET', '/api/v1/organizations', { token: user.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/organizations')).status, 401);
  const names = await api.database.db.selectFrom('organizations').select('name').execute();
  assert.deepEqual(names, [{ name: 'Readable' }]);
});

test('the list searches names and slugs and pages by cursor', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  for (let i = 0; i < 5; i++)
    await api.request('POST', '/api/v1/organizations', { token, body: { name: `Team ${i}`, slug: `team-${i}` } });
  await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Globex 50%_off', slug: 'globex' } });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api.request('GET', url, { token });
    assert.equal(page.status, 200, page.raw);
    seen.push(...page.body.data.map((o: { slug: string }) => o.slug));
    cursor = page.body.pagination.next_cursor;
  } while (cursor);
  assert.equal(seen.length, 6);
  assert.equal(seen[0], 'globex');
  assert.deepEqual(seen.slice(1), ['team-4', 'team-3', 'team-2', 'team-1', 'team-0'], 'newest first');
  const found = await api.request('GET', '/api/v1/organizations?search=TEAM%203', { token });
  assert.deepEqual(
    found.body.data.map((o: { slug: string }) => o.slug),
    ['team-3'],
  );
  const bySlug = await api.request('GET', '/api/v1/organizations?search=lobe', { token });
  assert.deepEqual(
    bySlug.body.data.map((o: { slug: string }) => o.slug),
    ['globex'],
  );
  // LIKE's wildcards are plain text: "m%_" matches nothing here, "50%_" only Globex.
  assert.deepEqual((await api.request('GET', '/api/v1/organizations?search=m%25_', { token })).body.data, []);
  const literal = await api.request('GET', '/api/v1/organizations?search=50%25_', { token });
  assert.deepEqual(
    literal.body.data.map((o: { slug: string }) => o.slug),
    ['globex'],
  );
  assert.equal((await api.request('GET', '/api/v1/organizations?cursor=nonsense', { token })).status, 400);
  assert.equal((await api.request('GET', '/api/v1/organizations?limit=0', { token })).status, 400);
});

test('members: added with organization roles, listed with search and cursor, roles replaced, removed; each audited and announced', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const billing = await addRole(api, 'billing');
  const viewer = await addRole(api, 'viewer');
  await addRole(api, 'staff', 'global');
  const org = (await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Members Co' } })).body.data;
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await api.user({ first_name: i === 2 ? 'Zelda' : 'Pat' }));
  const announced: string[] = [];
  api.app.core.bus.subscribe((e) => e.kind === 'user' && announced.push(e.id));

  const add = (userId: string, roles?: string[]) =>
    api.request('POST', `/api/v1/organizations/${org.id}/members`, { token, body: { user_id: userId, roles } });
  const first = await add(people[0]!.id, ['billing', viewer]);
  assert.equal(first.status, 201, first.raw);
  assert.equal(first.body.data.username, people[0]!.username);
  assert.deepEqual(first.body.data.roles, [
    { id: billing, name: 'billing' },
    { id: viewer, name: 'viewer' },
  ]);
  for (const p of people.slice(1)) {
    api.clock.advance(10);
    assert.equal((await add(p.id)).status, 201);
  }
  assert.equal((await add(people[0]!.id)).status, 409, 'already a member');
  assert.equal((await add(people[1]!.id, ['staff'])).status, 400, 'a global role is no organization role');
  assert.equal((await add(people[1]!.id, ['nope'])).status, 400);
  assert.equal((await add('0190f0f0-0000-7000-8000-000000000000')).status, 400, 'no such user');

  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/organizations/${org.id}/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api.request('GET', url, { token });
    assert.equal(page.status, 200, page.raw);
    ids.push(...page.body.data.map((m: { id: string }) => m.id));
    cursor = page.body.pagination.next_cursor;
  } while (cursor);
  assert.deepEqual(ids, people.map((p) => p.id).reverse(), 'newest member first, every one once');
  const zelda = await api.request('GET', `/api/v1/organizations/${org.id}/members?search=zeld`, { token });
  assert.deepEqual(
    zelda.body.data.map((m: { id: string }) => m.id),
    [people[2]!.id],
  );

  const roles = await api.request('PUT', `/api/v1/organizations/${org.id}/members/${people[1]!.id}/roles`, {
    token,
    body: { roles: [viewer] },
  });
  assert.equal(roles.status, 200, roles.raw);
  assert.deepEqual(roles.body.data.roles, [{ id: viewer, name: 'viewer' }]);
  const held = await api.database.db
    .selectFrom('organization_member_roles')
    .select('role_id')
    .where('user_id', '=', people[1]!.id)
    .execute();
  assert.deepEqual(held, [{ role_id: viewer }]);
  const outsider = await api.user();
  assert.equal(
    (
      await api.request('PUT', `/api/v1/organizations/${org.id}/members/${outsider.id}/roles`, {
        token,
        body: { roles: [] },
      })
    ).status,
    404,
  );

  assert.equal(
    (await api.request('DELETE', `/api/v1/organizations/${org.id}/members/${people[3]!.id}`, { token })).status,
    204,
  );
  assert.equal(
    (await api.request('DELETE', `/api/v1/organizations/${org.id}/members/${people[3]!.id}`, { token })).status,
    404,
  );
  assert.deepEqual(announced, [people[1]!.id, people[3]!.id]);

  // The member's own view.
  const mine = await api.request('GET', '/api/v1/auth/organizations', { token: people[0]!.token });
  assert.equal(mine.status, 200, mine.raw);
  assert.equal(mine.body.data.length, 1);
  assert.equal(mine.body.data[0].slug, 'members-co');
  assert.deepEqual(
    mine.body.data[0].roles.map((r: { name: string }) => r.name),
    ['billing', 'viewer'],
  );
  const none = await api.request('GET', '/api/v1/auth/organizations', { token: people[3]!.token });
  assert.deepEqual(none.body.data, []);

  const types = await api.database.db
    .selectFrom('audit_events')
    .select(['type', 'target_id'])
    .where('type', 'like', 'organization.member%')
    .orderBy('id')
    .execute();
  assert.deepEqual(
    types.map((e) => e.type),
    [
      ...people.map(() => 'organization.member_added'),
      'organization.member_roles_changed',
      'organization.member_removed',
    ],
  );
  assert.equal(types.at(-1)!.target_id, people[3]!.id);

  // Deleting the organization ends every membership and announces every member.
  announced.length = 0;
  assert.equal((await api.request('DELETE', `/api/v1/organizations/${org.id}`, { token })).status, 204);
  assert.deepEqual(new Set(announced), new Set(people.slice(0, 3).map((p) => p.id)));
  assert.equal((await api.database.db.selectFrom('organization_members').selectAll().execute()).length, 0);
  assert.equal((await api.database.db.selectFrom('organization_member_roles').selectAll().execute()).length, 0);
});
