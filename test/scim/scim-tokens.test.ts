import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';
import { ERROR, entraUser, organization, scimClient, scimToken } from './scim-helper.js';

test("token isolation: organization A's token never sees, changes or groups organization B's users", async (t) => {
  const api = await build(t);
  const [a, b] = [await organization(api), await organization(api)];
  const scimA = scimClient(api, await scimToken(api, a));
  const scimB = scimClient(api, await scimToken(api, b));
  const inB = await scimB('POST', '/Users', entraUser());
  assert.equal(inB.status, 201);
  const id = inB.body.id;
  assert.equal((await scimA('GET', `/Users/${id}`)).status, 404);
  assert.equal(
    (await scimA('PATCH', `/Users/${id}`, { Operations: [{ op: 'replace', value: { active: false } }] })).status,
    404,
  );
  assert.equal((await scimA('PUT', `/Users/${id}`, entraUser())).status, 404);
  assert.equal((await scimA('DELETE', `/Users/${id}`)).status, 404);
  const all = await scimA('GET', '/Users');
  assert.equal(all.body.totalResults, 0);
  const filtered = await scimA('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}" or userName pr`)}`);
  assert.equal(filtered.body.totalResults, 0);
  const group = await scimA('POST', '/Groups', { displayName: 'Team', members: [{ value: id }] });
  assert.equal(group.status, 400, 'a user of another organization cannot be a member');
  const gB = await scimB('POST', '/Groups', { displayName: 'Team B' });
  assert.equal((await scimA('GET', `/Groups/${gB.body.id}`)).status, 404);
  assert.equal((await scimA('GET', '/Groups')).body.totalResults, 0);

  // Usher's own staff are never a directory's: an admin made a member of A stays invisible to A's token.
  const admin = await api.admin();
  await api.database.db
    .insertInto('organization_members')
    .values({ organization_id: a, user_id: admin.id, created_at: new Date().toISOString() })
    .execute();
  assert.equal((await scimA('GET', `/Users/${admin.id}`)).status, 404);
});

test('tokens: shown once, hashed, listed without the secret, revoked at once; bad tokens are 401 SCIM errors', async (t) => {
  const api = await build(t);
  const org = await organization(api);
  const admin = await api.admin();
  const made = await api.request('POST', `/api/v1/organizations/${org}/scim-tokens`, {
    token: admin.token,
    body: { name: 'Okta' },
  });
  assert.equal(made.status, 201);
  const secret: string = made.body.data.token;
  assert.match(secret, /^scim_[A-Za-z0-9_-]{43}$/);
  const stored = await api.database.db.selectFrom('scim_tokens').selectAll().executeTakeFirstOrThrow();
  assert.notEqual(stored.token_hash, secret);
  assert.ok(!JSON.stringify(stored).includes(secret.slice(5)), 'only the hash is stored');
  const list = await api.request('GET', `/api/v1/organizations/${org}/scim-tokens`, { token: admin.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.data.length, 1);
  assert.ok(!list.raw.includes(secret));
  const user = await api.user();
  assert.equal(
    (await api.request('POST', `/api/v1/organizations/${org}/scim-tokens`, { token: user.token, body: { name: 'x' } }))
      .status,
    403,
  );
  assert.equal(
    (
      await api.request('POST', `/api/v1/organizations/${crypto.randomUUID()}/scim-tokens`, {
        token: admin.token,
        body: { name: 'x' },
      })
    ).status,
    404,
  );

  const scim = scimClient(api, secret);
  assert.equal((await scim('GET', '/ServiceProviderConfig')).status, 200);
  assert.equal((await scim('GET', '/Schemas')).body.totalResults, 3);
  for (const bad of ['scim_nope', 'not-a-scim-token', '']) {
    const res = await scimClient(api, bad)('GET', '/Users');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body.schemas, [ERROR]);
    assert.equal(res.body.status, '401');
  }
  const revoked = await api.request('DELETE', `/api/v1/organizations/${org}/scim-tokens/${made.body.data.id}`, {
    token: admin.token,
  });
  assert.equal(revoked.status, 204);
  assert.equal((await scim('GET', '/Users')).status, 401);
  const types = (await api.database.db.selectFrom('audit_events').select('type').execute()).map((e) => e.type);
  assert.ok(types.includes('scim_token.created') && types.includes('scim_token.revoked'));
});

test('filters reach the database as values only: quotes and wildcards match literally', async (t) => {
  const api = await build(t);
  const scim = scimClient(api, await scimToken(api, await organization(api)));
  assert.equal((await scim('POST', '/Users', entraUser('o_brien'))).status, 201);
  for (const f of [
    `userName eq "x' or '1'='1"`,
    'userName co "%"',
    'userName sw "_"',
    `name.familyName eq "\\"; drop table users; --"`,
  ]) {
    const res = await scim('GET', `/Users?filter=${encodeURIComponent(f)}`);
    assert.equal(res.status, 200, f);
    assert.equal(res.body.totalResults, 0, f);
  }
  assert.equal(
    (await scim('GET', `/Users?filter=${encodeURIComponent('userName co "_brien@"')}`)).body.totalResults,
    1,
  );
  assert.equal(
    (await scim('GET', `/Users?filter=${encodeURIComponent('userName ew "EXAMPLE.COM" and not (active eq false)')}`))
      .body.totalResults,
    1,
  );
  assert.equal((await scim('GET', '/Users?count=0')).body.Resources.length, 0);
  assert.equal((await scim('GET', '/Users?startIndex=abc')).status, 400);
});

test('rate limits: a token has its own per-minute budget; bad tokens count against the address', async (t) => {
  const api = await build(t, {
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_AUTH_PER_MIN: '2',
    USHER_RATE_LIMIT_ANON_PER_MIN: '3',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
  });
  const scim = scimClient(api, await scimToken(api, await organization(api)));
  for (let i = 0; i < 20; i++) assert.equal((await scim('GET', '/Users?count=1')).status, 200, `request ${i + 1}`);
  const over = await scim('GET', '/Users');
  assert.equal(over.status, 429);
  assert.deepEqual(over.body.schemas, [ERROR]);
  const bad = scimClient(api, 'scim_wrong');
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await bad('GET', '/Users')).status);
  assert.deepEqual(statuses, [401, 401, 401, 429]);
});
