import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import type { AuthEvent } from '../../src/core/events.js';
import { createDatabase } from '../../src/db/database.js';
import { build, freshDatabaseUrl } from '../support/helper.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';

/**
 * Issue 25: two instances (each its own connection pool, caches and frozen clock) over one PostgreSQL and one Redis.
 * No token is refused during or after a rotation, on either instance.
 */

const postgres = process.env.USHER_TEST_DIALECT === 'postgres';
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

test("two instances: started together they make one current and one next key; a rotation on A is good on B at once, and B's old tokens on A", {
  skip: (!postgres && 'PostgreSQL only: two instances share one database server') || withoutRedis,
}, async (t) => {
  const url = await freshDatabaseUrl(t);
  const env = { REDIS_URL: REDIS_URL!, USHER_REDIS_PREFIX: redisPrefix(t) };
  const [dbA, dbB] = [createDatabase(url), createDatabase(url)];
  t.after(() => Promise.all([dbA.close(), dbB.close()]));
  const [a, b] = await Promise.all([build(t, env, { database: dbA }), build(t, env, { database: dbB })]);
  const states = (await dbA.db.selectFrom('signing_keys').select('state').execute()).map((r) => r.state).sort();
  assert.deepEqual(states, ['current', 'next']);
  const heardOnB: AuthEvent[] = [];
  b.app.core.bus.subscribe((e) => heardOnB.push(e));

  const userOnB = await b.user();
  const oldKid = kidOf(userOnB.token);
  const admin = await a.admin();
  assert.equal(kidOf(admin.token), oldKid, 'both sign with one key');
  const rotated = await a.request('POST', '/api/v1/signing-keys/rotate', { token: admin.token });
  assert.equal(rotated.status, 200);

  // A signs with the key that was next: B had it already, so A's new tokens are good on B at once.
  const fresh = await a.login(userOnB.username);
  assert.notEqual(kidOf(fresh.access_token), oldKid);
  assert.equal((await b.request('GET', `/api/v1/users/${userOnB.id}`, { token: fresh.access_token })).status, 200);
  // B's tokens of the old key (signed before, or by B before it hears) are good on A: retired, not refused.
  const late = await b.login(userOnB.username);
  for (const token of [userOnB.token, late.access_token])
    assert.equal((await a.request('GET', `/api/v1/users/${userOnB.id}`, { token })).status, 200);

  // B hears of the rotation through Redis and signs with the new key too.
  await waitFor('B to hear of the rotation', () => heardOnB.some((e) => e.kind === 'signing_keys'));
  await waitFor('B to switch keys', async () => kidOf((await b.login(userOnB.username)).access_token) !== oldKid);
  const onB = await b.login(userOnB.username);
  assert.equal(kidOf(onB.access_token), kidOf(fresh.access_token));
  assert.equal((await a.request('GET', `/api/v1/users/${userOnB.id}`, { token: onB.access_token })).status, 200);
  // Both publish the same keys.
  const [ja, jb] = await Promise.all([
    a.request('GET', '/.well-known/jwks.json'),
    b.request('GET', '/.well-known/jwks.json'),
  ]);
  assert.deepEqual(ja.body, jb.body);
  assert.equal(ja.body.keys.length, 3);
});
