import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type TestApp, build } from '../support/helper.js';

/** Issue 25: rotation publishes the next key before it signs and keeps retired keys verifying until their tokens expire. */

const jwksOf = async (api: TestApp) => (await api.request('GET', '/.well-known/jwks.json')).body;
const kids = (jwks: { keys: { kid: string }[] }) => jwks.keys.map((k) => k.kid).sort();
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

test('rotation: the next key is published before it signs, old tokens keep working, retired keys leave the JWKS after retires_at', async (t) => {
  const api = await build(t, { USHER_ACCESS_TOKEN_TTL: '600' });
  const admin = await api.admin();
  const a = await api.user();
  const listed = await api.request('GET', '/api/v1/signing-keys', { token: admin.token });
  assert.equal(listed.status, 200);
  const [next, current] = listed.body.data;
  assert.deepEqual(
    listed.body.data.map((k: { state: string; alg: string; retires_at: null }) => [k.state, k.alg, k.retires_at]),
    [
      ['next', 'ES256', null],
      ['current', 'ES256', null],
    ],
  );
  assert.equal(kidOf(a.token), current.kid);
  const before = await jwksOf(api);
  assert.deepEqual(kids(before), [current.kid, next.kid].sort(), 'the next key is published before it signs');

  const rotated = await api.request('POST', '/api/v1/signing-keys/rotate', { token: admin.token });
  assert.equal(rotated.status, 200);
  const states = Object.fromEntries(rotated.body.data.map((k: { kid: string; state: string }) => [k.kid, k.state]));
  assert.equal(states[next.kid], 'current');
  assert.equal(states[current.kid], 'retired');
  const retired = rotated.body.data.find((k: { kid: string }) => k.kid === current.kid);
  // Retired for the access tokens' lifetime and a minute.
  assert.equal(Date.parse(retired.retires_at), api.clock.now() + 600_000 + 60_000);
  const newNext = rotated.body.data.find((k: { state: string }) => k.state === 'next');

  // A token signed before the rotation still works; new tokens carry the key that was next.
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  const b = await api.user();
  assert.equal(kidOf(b.token), next.kid);
  const after = await jwksOf(api);
  assert.deepEqual(kids(after), [current.kid, next.kid, newNext.kid].sort());
  // A verifier that cached the JWKS before the rotation already has the key that signs now.
  await jwtVerify(b.token, createLocalJWKSet(before), { issuer: api.config.issuer });
  await jwtVerify(a.token, createLocalJWKSet(after), { issuer: api.config.issuer });

  // The rotation is in the audit trail, naming the retired key.
  const audit = await api.request('GET', '/api/v1/audit-events?type=signing_key.rotated', { token: admin.token });
  assert.equal(audit.body.data.length, 1);
  assert.equal(audit.body.data[0].actor_id, admin.id);
  assert.equal(audit.body.data[0].details.retired_kid, current.kid);

  // Once every token the retired key signed has expired, it leaves the JWKS and verifies nothing.
  api.clock.advance(660_001);
  assert.deepEqual(kids(await jwksOf(api)), [next.kid, newNext.kid].sort());
  const adminNow = (await api.login('root_admin')).access_token;
  const list = await api.request('GET', '/api/v1/signing-keys', { token: adminNow });
  assert.deepEqual(
    list.body.data.map((k: { kid: string }) => k.kid),
    [newNext.kid, next.kid],
  );
  // …and the hourly sweep deletes it (its private half with it).
  await api.app.core.sweep();
  const rows = await api.database.db.selectFrom('signing_keys').select('kid').where('kid', '=', current.kid).execute();
  assert.deepEqual(rows, []);
});

test('moderators list the signing keys but only admins rotate; users neither', async (t) => {
  const api = await build(t);
  const moderator = await api.withRole('moderator');
  const user = await api.user();
  assert.equal((await api.request('GET', '/api/v1/signing-keys', { token: moderator.token })).status, 200);
  const refused = await api.request('POST', '/api/v1/signing-keys/rotate', { token: moderator.token });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  assert.equal((await api.request('GET', '/api/v1/signing-keys', { token: user.token })).status, 403);
  assert.equal((await api.request('POST', '/api/v1/signing-keys/rotate', { token: user.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/signing-keys')).status, 401);
  const states = (await api.database.db.selectFrom('signing_keys').select('state').execute()).map((r) => r.state);
  assert.deepEqual(states.sort(), ['current', 'next'], 'nothing rotated');
});

test('USHER_KEY_ROTATION_DAYS: an instance starting after the current key is that old rotates it, once', async (t) => {
  const { createDatabase } = await import('../../src/db/database.js');
  const { freshDatabaseUrl, testClock } = await import('../support/helper.js');
  const database = createDatabase(await freshDatabaseUrl(t));
  t.after(() => database.close());
  const first = await build(t, {}, { database });
  const kid = kidOf((await first.user()).token);
  const clock = testClock(first.clock.now() + 2 * 86400_000);
  const later = await build(t, { USHER_KEY_ROTATION_DAYS: '1' }, { database, now: clock.now });
  const admin = await later.admin();
  const { waitFor } = await import('../support/redis-helper.js');
  await waitFor('the automatic rotation', async () => kidOf((await later.user()).token) !== kid);
  const audit = await later.request('GET', '/api/v1/audit-events?type=signing_key.rotated', { token: admin.token });
  assert.equal(audit.body.data.length, 1);
  assert.equal(audit.body.data[0].details.automatic, true);
  assert.equal(audit.body.data[0].actor_id, null);
  // Not old enough any more: a second check does nothing.
  assert.equal(await later.app.core.signingKeys.rotateIfOlder(1), false);
});

test('tokens signed by the HS256 keys of earlier versions (iss "usher") verify until their retirement ends', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const sid = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString()).sid;
  // What migration 0010 leaves of an earlier version's key when sessions exist: retired, for the longest token life.
  const secret = randomBytes(64).toString('base64url');
  const retiresAt = new Date(api.clock.now() + 7 * 86400_000).toISOString();
  const at = new Date(api.clock.now() - 86400_000).toISOString();
  const legacy = { kid: 'legacy-hs256-key', alg: 'HS256', secret, created_at: at, state: 'retired' };
  await api.database.db
    .insertInto('signing_keys')
    .values({ ...legacy, retires_at: retiresAt })
    .execute();
  await api.app.core.keys.reload();
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sign = () => {
    const iat = Math.floor(api.clock.now() / 1000);
    const claims = { sid, sub: a.id, iss: 'usher', iat, exp: iat + 3600 };
    const input = `${part({ alg: 'HS256', kid: legacy.kid, typ: 'JWT' })}.${part(claims)}`;
    return `${input}.${createHmac('sha256', Buffer.from(secret, 'base64url')).update(input).digest('base64url')}`;
  };
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: sign() })).status, 200);
  assert.ok(!(await jwksOf(api)).keys.some((k: { kid: string }) => k.kid === legacy.kid), 'never published');
  // Past its retirement the key checks nothing, even a token it signed a moment ago.
  api.clock.advance(7 * 86400_000 + 1000);
  const fresh = await api.login(a.username);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: fresh.access_token })).status, 200);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: sign() })).status, 401);
});
