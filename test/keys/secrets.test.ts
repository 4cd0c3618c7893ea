import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, type TestApp, build, freshDatabaseUrl } from '../support/helper.js';

/** Issue 25: private keys and TOTP secrets sealed at rest under USHER_SECRETS_KEY; a wrong key stops the start. */

const KEY = randomBytes(32).toString('base64');
const codeFor = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });

/** A user with TOTP turned on; its secret. */
async function withTotp(api: TestApp) {
  const a = await api.user();
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } });
  const { secret } = setup.body.data;
  const code = codeFor(secret, api.clock.now());
  const confirmed = await api.request('POST', '/api/v1/auth/mfa/totp/confirm', { token: a.token, body: { code } });
  assert.equal(confirmed.status, 200);
  return { ...a, secret };
}

/** Logs in with the password and a TOTP code 30 s later (a code is good once): the status of the second step. */
async function mfaLogin(api: TestApp, user: { username: string; secret: string }) {
  api.clock.advance(30_000);
  const first = await api.request('POST', '/api/v1/auth/login', {
    body: { username: user.username, password: PASSWORD },
  });
  assert.equal(first.body.mfa_required, true);
  const code = codeFor(user.secret, api.clock.now());
  return (await api.request('POST', '/api/v1/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, code } }))
    .status;
}

const rowsOf = (api: TestApp) =>
  api.database.db.selectFrom('signing_keys').select(['kid', 'private_key', 'secret', 'public_jwk']).execute();

test('USHER_SECRETS_KEY: private keys and TOTP secrets are sealed in the database, and work', async (t) => {
  const api = await build(t, { USHER_SECRETS_KEY: KEY });
  const user = await withTotp(api);
  for (const row of await rowsOf(api)) {
    assert.match(row.private_key!, /^sb1:[A-Za-z0-9_-]+$/);
    assert.doesNotMatch(row.private_key!, /"d"/);
    assert.ok(JSON.parse(row.public_jwk!).x, 'the public half stays readable');
  }
  const stored = await api.database.db
    .selectFrom('users')
    .select(['mfa_secret', 'mfa_pending_secret'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  assert.match(stored.mfa_secret!, /^sb1:/);
  assert.ok(!stored.mfa_secret!.includes(user.secret));
  assert.equal(stored.mfa_pending_secret, null);
  assert.equal(await mfaLogin(api, user), 200);
});

test('secrets stored plain are sealed at the first start with USHER_SECRETS_KEY; a wrong or missing key then stops the start', async (t) => {
  const url = await freshDatabaseUrl(t);
  const database = createDatabase(url);
  t.after(() => database.close());
  const plain = await build(t, {}, { database });
  const user = await withTotp(plain);
  const before = await rowsOf(plain);
  assert.ok(
    before.every((r) => r.private_key!.startsWith('{')),
    'plain JWK without a key',
  );
  const sealed = await build(t, { USHER_SECRETS_KEY: KEY }, { database });
  for (const row of await rowsOf(sealed)) assert.match(row.private_key!, /^sb1:/);
  const totp = await database.db.selectFrom('users').select('mfa_secret').where('id', '=', user.id).executeTakeFirst();
  assert.match(totp!.mfa_secret!, /^sb1:/);
  assert.equal(await mfaLogin(sealed, user), 200);
  // The same keys sign as before (sealed, not replaced).
  assert.deepEqual((await rowsOf(sealed)).map((r) => r.kid).sort(), before.map((r) => r.kid).sort());

  const wrong = randomBytes(32).toString('base64');
  await assert.rejects(build(t, { USHER_SECRETS_KEY: wrong }, { database }), (error: Error) => {
    assert.equal(error.name, 'ConfigError');
    assert.match(error.message, /USHER_SECRETS_KEY is not the key the secrets in this database were encrypted with/);
    return true;
  });
  await assert.rejects(
    build(t, {}, { database }),
    /USHER_SECRETS_KEY is not set, but the secrets in this database are encrypted/,
  );
});

test('USHER_SECRETS_KEY must be 32 bytes in base64; USHER_JWT_ALG=HS256 needs USHER_JWT_SECRET', () => {
  for (const bad of ['short', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), `${KEY}!`])
    assert.throws(() => loadConfig({ USHER_SECRETS_KEY: bad }), /USHER_SECRETS_KEY must be 32 bytes in base64/);
  assert.ok(loadConfig({ USHER_SECRETS_KEY: KEY }).secretsKey?.length === 32);
  assert.throws(() => loadConfig({ USHER_JWT_ALG: 'HS256' }), /USHER_JWT_ALG is HS256 but USHER_JWT_SECRET is not set/);
  assert.throws(
    () => loadConfig({ USHER_JWT_ALG: 'PS256' }),
    /USHER_JWT_ALG must be one of ES256, EdDSA, RS256, HS256/,
  );
  assert.equal(loadConfig({}).jwtAlg, 'ES256');
  assert.equal(loadConfig({ USHER_JWT_ALG: 'eddsa' }).jwtAlg, 'EdDSA');
  assert.throws(() => loadConfig({ USHER_KEY_ROTATION_DAYS: '0' }), /USHER_KEY_ROTATION_DAYS/);
  assert.throws(() => loadConfig({ USHER_ISSUER: 'ftp://x' }), /USHER_ISSUER/);
});
