import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashSecret } from '../../src/core/security/secrets.js';
import { build } from '../support/helper.js';

/** Applications (the provider's clients) through /api/v1 and the database, on SQLite and PostgreSQL. */

const WEB = {
  name: 'Shop',
  type: 'web',
  redirect_uris: ['https://shop.example.com/callback', 'http://localhost:3000/callback'],
  post_logout_redirect_uris: ['https://shop.example.com/'],
};

test('admins create, list, get, update and delete applications; the secret is shown once and stored as a hash', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const token = admin.token;
  const made = await api.request('POST', '/api/v1/applications', { token, body: WEB });
  assert.equal(made.status, 201, made.raw);
  const app = made.body.data;
  assert.match(app.id, /^[0-9a-f-]{36}$/);
  assert.match(app.client_id, /^app_[A-Za-z0-9_-]{32}$/);
  assert.match(app.client_secret, /^usher_cs_[A-Za-z0-9_-]{43}$/);
  assert.equal(app.type, 'web');
  assert.deepEqual(app.redirect_uris, WEB.redirect_uris);
  assert.deepEqual(app.post_logout_redirect_uris, WEB.post_logout_redirect_uris);
  assert.deepEqual(app.scopes, ['openid', 'profile', 'email', 'offline_access'], 'the default scopes of a web app');
  assert.equal(app.first_party, false);
  assert.equal(app.logo_uri, null);
  assert.equal(app.created_at, app.updated_at);

  // The database holds the secret's SHA-256 only: a copy of it yields no usable secret.
  const [row] = await api.database.db.selectFrom('applications').selectAll().execute();
  assert.ok(row);
  assert.ok(!JSON.stringify(row).includes(app.client_secret));
  assert.equal(row.secret_hash, hashSecret(app.client_secret));
  assert.equal(row.client_id, app.client_id);

  // Never shown again: not by a get (by id or client id), not by a list.
  const { client_secret: secret, ...stored } = app;
  for (const url of [`/api/v1/applications/${app.id}`, `/api/v1/applications/${app.client_id}`]) {
    const got = await api.request('GET', url, { token });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.data, stored);
    assert.ok(!got.raw.includes(secret));
  }
  const listed = await api.request('GET', '/api/v1/applications', { token });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.data, [stored]);
  assert.deepEqual(listed.body.pagination, { limit: 20, next_cursor: null });
  assert.ok(!listed.raw.includes(secret));
  assert.ok(await api.app.core.applications.checkSecret(app.client_id, secret), 'the provider accepts the secret');

  // PATCH: only the given fields; the lists are replaced whole; null clears the logo.
  api.clock.advance(1000);
  const patched = await api.request('PATCH', `/api/v1/applications/${app.id}`, {
    token,
    body: {
      name: 'Shop (new)',
      redirect_uris: ['com.example.shop:/cb', 'https://shop.example.com/cb2'].slice(1),
      first_party: true,
      logo_uri: 'https://shop.example.com/logo.png',
    },
  });
  assert.equal(patched.status, 200, patched.raw);
  assert.equal(patched.body.data.name, 'Shop (new)');
  assert.deepEqual(patched.body.data.redirect_uris, ['https://shop.example.com/cb2']);
  assert.deepEqual(patched.body.data.post_logout_redirect_uris, WEB.post_logout_redirect_uris, 'absent: kept');
  assert.equal(patched.body.data.first_party, true);
  assert.equal(patched.body.data.logo_uri, 'https://shop.example.com/logo.png');
  assert.ok(patched.body.data.updated_at > app.updated_at);
  const cleared = await api.request('PATCH', `/api/v1/applications/${app.client_id}`, {
    token,
    body: { logo_uri: null },
  });
  assert.equal(cleared.body.data.logo_uri, null);
  assert.equal((await api.request('GET', `/api/v1/applications/${app.id}`, { token })).body.data.name, 'Shop (new)');

  assert.equal((await api.request('DELETE', `/api/v1/applications/${app.id}`, { token })).status, 204);
  assert.equal((await api.request('GET', `/api/v1/applications/${app.id}`, { token })).status, 404);
  assert.equal((await api.request('DELETE', `/api/v1/applications/${app.id}`, { token })).status, 404);
  assert.equal((await api.request('PATCH', `/api/v1/applications/${app.id}`, { token, body: {} })).status, 404);
  assert.equal(await api.app.core.applications.checkSecret(app.client_id, secret), false, 'gone: refused');
  assert.equal((await api.database.db.selectFrom('applications').selectAll().execute()).length, 0);
});

test('public clients have no secret; rotation gives a new secret once and the old one stops working', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const core = api.app.core;
  for (const type of ['spa', 'native'] as const) {
    const res = await api.request('POST', '/api/v1/applications', {
      token,
      body: {
        name: type,
        type,
        redirect_uris: ['com.example.app:/callback', 'https://app.example.com/cb'].slice(type === 'spa' ? 1 : 0),
      },
    });
    assert.equal(res.status, 201, res.raw);
    assert.equal(res.body.data.client_secret, null);
    const row = await api.database.db
      .selectFrom('applications')
      .select('secret_hash')
      .where('id', '=', res.body.data.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, null);
    const rotate = await api.request('POST', `/api/v1/applications/${res.body.data.id}/secret`, { token });
    assert.equal(rotate.status, 422);
    assert.equal(rotate.body.error.code, 'UNPROCESSABLE_ENTITY');
    assert.match(rotate.body.error.message, /public client/);
    assert.equal(await core.applications.checkSecret(res.body.data.client_id, ''), false);
  }
  assert.deepEqual(
    (await api.request('GET', '/api/v1/applications', { token })).body.data.map((a: { scopes: string[] }) => a.scopes),
    [
      ['openid', 'profile', 'email', 'offline_access'],
      ['openid', 'profile', 'email'],
    ],
    'native (newest first) may keep refresh tokens, a browser app by default not',
  );

  const machine = await api.request('POST', '/api/v1/applications', {
    token,
    body: { name: 'Nightly job', type: 'machine', scopes: ['users:read'] },
  });
  assert.equal(machine.status, 201, machine.raw);
  const { id, client_id: clientId, client_secret: first } = machine.body.data;
  assert.deepEqual(machine.body.data.redirect_uris, []);
  assert.ok(await core.applications.checkSecret(clientId, first));
  assert.equal(await core.applications.checkSecret(clientId, `${first}x`), false);
  assert.equal(await core.applications.checkSecret('app_unknown', first), false);

  const rotated = await api.request('POST', `/api/v1/applications/${id}/secret`, { token });
  assert.equal(rotated.status, 200, rotated.raw);
  const second = rotated.body.data.client_secret;
  assert.match(second, /^usher_cs_/);
  assert.notEqual(second, first);
  assert.equal(rotated.body.data.client_id, clientId, 'the client id stays');
  assert.equal(await core.applications.checkSecret(clientId, first), false, 'the old secret stops working');
  assert.ok(await core.applications.checkSecret(clientId, second));
  const found = await core.applications.findByClientId(clientId);
  assert.equal(found?.secretHash, hashSecret(second));
  assert.equal((await api.request('POST', '/api/v1/applications/nope/secret', { token })).status, 404);
});

test('moderators and moderator keys list and read; only signed-in admins change; users and admin keys are refused', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const app = (await api.request('POST', '/api/v1/applications', { token, body: WEB })).body.data;
  const mod = await api.withRole('moderator');
  const user = await api.user();
  const adminKey = await api.apiKey();
  const modKey = await api.apiKey({ role: 'moderator' });
  for (const who of [{ token: mod.token }, { apiKey: modKey.key }, { apiKey: adminKey.key }]) {
    assert.equal((await api.request('GET', '/api/v1/applications', who)).status, 200);
    assert.equal((await api.request('GET', `/api/v1/applications/${app.id}`, who)).status, 200);
  }
  const changes: Array<[string, string, unknown?]> = [
    ['POST', '/api/v1/applications', WEB],
    ['PATCH', `/api/v1/applications/${app.id}`, { name: 'Stolen' }],
    ['DELETE', `/api/v1/applications/${app.id}`],
    ['POST', `/api/v1/applications/${app.id}/secret`],
  ];
  for (const who of [{ token: mod.token }, { token: user.token }, { apiKey: adminKey.key }, { apiKey: modKey.key }])
    for (const [method, url, body] of changes) {
      const res = await api.request(method as 'POST', url, { ...who, ...(body === undefined ? {} : { body }) });
      assert.equal(res.status, 403, `${method} ${url} as ${JSON.stringify(who).slice(0, 12)}`);
    }
  assert.equal((await api.request('GET', '/api/v1/applications', { token: user.token })).status, 403);
  assert.equal((await api.request('GET', `/api/v1/applications/${app.id}`, { token: user.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/applications')).status, 401);
  const rows = await api.database.db.selectFrom('applications').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.name, 'Shop', 'nothing changed');
});

test('each rule is a 400 naming its field, and nothing is written', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...WEB, name: '' }, 'name', /./],
    [{ ...WEB, name: 'x'.repeat(101) }, 'name', /./],
    [{ ...WEB, type: 'desktop' }, 'type', /./],
    [{ ...WEB, redirect_uris: [] }, 'redirect_uris', /at least one redirect URI/],
    [{ name: 'x', type: 'spa' }, 'redirect_uris', /at least one redirect URI/],
    [{ ...WEB, redirect_uris: ['/callback'] }, 'redirect_uris', /absolute/],
    [{ ...WEB, redirect_uris: ['https://a.example/cb#top'] }, 'redirect_uris', /fragment/],
    [{ ...WEB, redirect_uris: ['https://*.example.com/cb'] }, 'redirect_uris', /wildcard/],
    [{ ...WEB, redirect_uris: ['http://a.example/cb'] }, 'redirect_uris', /https/],
    [{ ...WEB, redirect_uris: ['com.example.app:/cb'] }, 'redirect_uris', /https/],
    [{ ...WEB, redirect_uris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) }, 'redirect_uris', /./],
    [{ ...WEB, post_logout_redirect_uris: ['http://a.example/'] }, 'post_logout_redirect_uris', /https/],
    [{ name: 'job', type: 'machine', redirect_uris: ['https://a.example/cb'] }, 'redirect_uris', /no redirect/],
    [{ name: 'job', type: 'machine', scopes: ['openid'] }, 'scopes', /no user scopes/],
    [{ ...WEB, scopes: ['profile'] }, 'scopes', /openid/],
    [{ ...WEB, scopes: ['openid', 'two words'] }, 'scopes', /letters/],
    [{ ...WEB, logo_uri: 'http://a.example/logo.png' }, 'logo_uri', /https/],
    [{ ...WEB, client_secret: 'mine' }, 'client_secret', /./],
  ];
  for (const [body, field, message] of cases) {
    const res = await api.request('POST', '/api/v1/applications', { token, body });
    assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.raw}`);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.match(String(res.body.error.details[field]), message, `${field}: ${res.raw}`);
  }
  assert.equal((await api.database.db.selectFrom('applications').selectAll().execute()).length, 0);

  const app = (await api.request('POST', '/api/v1/applications', { token, body: WEB })).body.data;
  for (const [body, field] of [
    [{ redirect_uris: [] }, 'redirect_uris'],
    [{ type: 'spa' }, 'type'],
    [{ name: ' ' }, 'name'],
  ] as const) {
    const res = await api.request('PATCH', `/api/v1/applications/${app.id}`, { token, body });
    assert.equal(res.status, 400, res.raw);
    assert.ok(res.body.error.details[field], res.raw);
  }
  const [row] = await api.database.db.selectFrom('applications').selectAll().execute();
  assert.equal(row!.updated_at, app.updated_at, 'a refused change writes nothing');
  assert.equal((await api.request('GET', '/api/v1/applications?cursor=bad', { token })).status, 400);
});

test('every change is audited (never a secret); an idempotent create replays without the secret', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const token = admin.token;
  const headers = { 'idempotency-key': 'create-shop-1' };
  const first = await api.request('POST', '/api/v1/applications', { token, body: WEB, headers });
  assert.equal(first.status, 201);
  const replay = await api.request('POST', '/api/v1/applications', { token, body: WEB, headers });
  assert.equal(replay.status, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.headers['idempotent-secret-withheld'], 'data.client_secret');
  assert.equal(replay.body.data.id, first.body.data.id);
  assert.equal(replay.body.data.client_secret, null);
  assert.equal((await api.database.db.selectFrom('applications').selectAll().execute()).length, 1);

  const { id, client_id: clientId, client_secret: secret } = first.body.data;
  await api.request('PATCH', `/api/v1/applications/${id}`, { token, body: { scopes: ['openid'], name: 'Shop' } });
  const rotated = await api.request('POST', `/api/v1/applications/${id}/secret`, { token });
  await api.request('DELETE', `/api/v1/applications/${id}`, { token });
  const events = (await api.request('GET', '/api/v1/audit-events?limit=10', { token })).body.data.filter(
    (e: { type: string }) => e.type.startsWith('application.'),
  );
  assert.deepEqual(
    events.map((e: { type: string }) => e.type),
    ['application.deleted', 'application.secret_rotated', 'application.updated', 'application.created'],
  );
  for (const e of events) {
    assert.equal(e.actor_id, admin.id);
    assert.equal(e.target_id, null);
    assert.equal(e.details.application_id, id);
    assert.equal(e.details.client_id, clientId);
  }
  assert.deepEqual(events[2].details.changes, ['scopes'], 'only what changed');
  const trail = JSON.stringify(await api.database.db.selectFrom('audit_events').selectAll().execute());
  assert.ok(!trail.includes(secret) && !trail.includes(rotated.body.data.client_secret), 'no secret in the trail');
});

test('the list pages newest first by cursor and searches by name', async (t) => {
  const api = await build(t);
  const { token } = await api.admin();
  for (const name of ['Alpha shop', 'Beta', 'Gamma SHOP', 'Delta'])
    assert.equal((await api.request('POST', '/api/v1/applications', { token, body: { ...WEB, name } })).status, 201);
  const one = await api.request('GET', '/api/v1/applications?limit=3', { token });
  assert.deepEqual(
    one.body.data.map((a: { name: string }) => a.name),
    ['Delta', 'Gamma SHOP', 'Beta'],
  );
  const two = await api.request('GET', `/api/v1/applications?limit=3&cursor=${one.body.pagination.next_cursor}`, {
    token,
  });
  assert.deepEqual(
    two.body.data.map((a: { name: string }) => a.name),
    ['Alpha shop'],
  );
  assert.equal(two.body.pagination.next_cursor, null);
  const found = await api.request('GET', '/api/v1/applications?search=shop', { token });
  assert.deepEqual(
    found.body.data.map((a: { name: string }) => a.name),
    ['Gamma SHOP', 'Alpha shop'],
  );
  const none = await api.request('GET', `/api/v1/applications?search=${encodeURIComponent('%')}`, { token });
  assert.deepEqual(none.body.data, [], 'a wildcard is searched for as itself');
});
