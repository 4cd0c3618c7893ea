import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import type { AuthEvent } from '../../src/core/events.js';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, build, freshDatabaseUrl } from '../support/helper.js';
import { REDIRECT, freePort } from '../support/oidc.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';
import { members, organization } from './org-fixture.js';

const postgres = process.env.USHER_TEST_DIALECT === 'postgres';

/**
 * A member removed on instance A: B, which has the organization session's state cached (its clock standing still,
 * so nothing expires by itself), drops it when the bus's user event arrives: the organization's access token turns
 * inactive at B's introspection at once, and B refuses the session's next refresh for that organization.
 */
test('a removed member: the organization session cached on the other instance drops at once', {
  skip: (!postgres && 'PostgreSQL only: two instances share one database server') || withoutRedis,
}, async (t) => {
  const url = await freshDatabaseUrl(t);
  const [portA, portB] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${portA}`;
  const prefix = redisPrefix(t);
  const env = (port: number) => ({
    PORT: String(port),
    USHER_ISSUER: issuer,
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: prefix,
  });
  const [dbA, dbB] = [createDatabase(url), createDatabase(url)];
  t.after(() => Promise.all([dbA.close(), dbB.close()]));
  const a = await build(t, env(portA), { database: dbA });
  const b = await build(t, env(portB), { database: dbB });
  await a.app.listen({ port: portA, host: '127.0.0.1' });
  await b.app.listen({ port: portB, host: '127.0.0.1' });
  const heard: AuthEvent[] = [];
  b.app.core.bus.subscribe((e) => heard.push(e));

  const admin = await a.admin();
  const made = await a.request('POST', '/api/v1/applications', {
    token: admin.token,
    body: { name: 'Billing API', type: 'web', redirect_uris: [REDIRECT] },
  });
  const app = made.body.data;
  const rpA = await client.discovery(
    new URL(issuer),
    app.client_id,
    undefined,
    client.ClientSecretBasic(app.client_secret),
    {
      execute: [client.allowInsecureRequests],
    },
  );
  const m = JSON.parse(JSON.stringify(rpA.serverMetadata())) as client.ServerMetadata;
  const rpB = new client.Configuration(
    { ...m, introspection_endpoint: m.introspection_endpoint!.replace(`:${portA}/`, `:${portB}/`) },
    app.client_id,
    undefined,
    client.ClientSecretBasic(app.client_secret),
  );
  client.allowInsecureRequests(rpB);

  const role = await a.request('POST', '/api/v1/roles', {
    token: admin.token,
    body: { name: 'accountant', scope: 'organization', permissions: ['invoices:read'] },
  });
  const org = await organization(a);
  const alice = await a.user();
  await members(a).add(org, alice.id, [role.body.data.id]);

  const login = await b.request('POST', '/api/v1/auth/login', {
    body: { username: alice.username, password: PASSWORD, organization_id: org },
  });
  assert.equal(login.status, 200, login.raw);
  const { access_token, refresh_token } = login.body;
  const seen = await client.tokenIntrospection(rpB, access_token);
  assert.equal(seen.active, true);
  assert.equal(seen.org_id, org);
  assert.deepEqual(seen.org_permissions, ['invoices:read']);

  // Removed on A (the organizations service publishes {kind: 'user'} after its commit; the fixture does the same).
  await members(a).remove(org, alice.id);
  await waitFor('b to hear of the member', () => heard.some((e) => e.kind === 'user' && e.id === alice.id));
  assert.equal((await client.tokenIntrospection(rpB, access_token)).active, false);
  const refused = await b.request('POST', '/api/v1/auth/refresh', { body: { refresh_token } });
  assert.equal(refused.status, 403, refused.raw);
  const without = await b.request('POST', '/api/v1/auth/refresh', { body: { refresh_token, organization_id: null } });
  assert.equal(without.status, 200, without.raw);
});
