import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, build, freshDatabaseUrl } from '../support/helper.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';
import { PATCH, entraUser, organization, scimToken } from './scim-helper.js';

const skip =
  withoutRedis || (process.env.USHER_TEST_DIALECT !== 'postgres' && 'needs PostgreSQL (USHER_TEST_DIALECT=postgres)');

test("SCIM active:false on one instance ends the user's sessions on the other at once (PostgreSQL + Redis, listening servers)", {
  skip,
}, async (t) => {
  const database = createDatabase(await freshDatabaseUrl(t));
  t.after(() => database.close());
  const env = { REDIS_URL: REDIS_URL!, USHER_REDIS_PREFIX: redisPrefix(t) };
  const a = await build(t, env, { database });
  const b = await build(t, env, { database });
  const urlOf = async (app: typeof a.app) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };
  const [urlA, urlB] = [await urlOf(a.app), await urlOf(b.app)];
  const token = await scimToken(a, await organization(a));
  const scimA = (method: string, path: string, body?: unknown) =>
    fetch(`${urlA}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const created = await scimA('POST', '/Users', entraUser());
  assert.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  // An admin gives the provisioned user a password so they can sign in (SCIM users have none).
  const admin = await a.admin();
  const set = await fetch(`${urlA}/api/v1/users/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  assert.equal(set.status, 200, await set.text());
  const username = (
    await a.database.db.selectFrom('users').select('username').where('id', '=', id).executeTakeFirstOrThrow()
  ).username;
  const login = await fetch(`${urlB}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const data = (await login.json()) as { access_token: string };
  const onB = () => fetch(`${urlB}/api/v1/users/${id}`, { headers: { authorization: `Bearer ${data.access_token}` } });
  assert.equal((await onB()).status, 200, "b has the session's state cached");

  const off = await scimA('PATCH', `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  assert.equal(off.status, 200);
  // b's clock stands still, so its 1 s cache never expires here: only the bus can make b refuse.
  await waitFor('b to refuse the deactivated user', async () => (await onB()).status === 401);
  const sessions = await a.database.db.selectFrom('sessions').select('revoked_at').where('user_id', '=', id).execute();
  assert.ok(sessions.length > 0 && sessions.every((s) => s.revoked_at !== null), 'every session ended in the database');
});
