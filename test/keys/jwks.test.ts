import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { build } from '../support/helper.js';

/** Issue 25: tokens signed with asymmetric keys, published as a JWKS; HS256 kept for deployments with a secret. */

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
  test(`${alg}: tokens carry kid, typ and the issuer, and verify with jose from the JWKS, which holds public members only`, async (t) => {
    const api = await build(t, alg === 'ES256' ? { USHER_ISSUER: 'https://id.example.com/' } : { USHER_JWT_ALG: alg });
    const a = await api.user();
    const jwks = await api.request('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    assert.match(String(jwks.headers['content-type']), /^application\/json/);
    assert.equal(jwks.headers['cache-control'], 'public, max-age=300');
    assert.equal(jwks.headers.pragma, undefined);
    // The current key and the next one, published before it signs.
    assert.equal(jwks.body.keys.length, 2);
    for (const key of jwks.body.keys) {
      assert.equal(key.alg, alg);
      assert.equal(key.use, 'sig');
      for (const m of PRIVATE_MEMBERS) assert.equal(key[m], undefined, `${alg} JWK has no ${m}`);
    }
    assert.doesNotMatch(jwks.raw, /"(d|p|q|dp|dq|qi|k)":/);
    const header = decodeProtectedHeader(a.token);
    assert.equal(header.alg, alg);
    assert.equal(header.typ, 'JWT');
    assert.ok(jwks.body.keys.some((k: { kid: string }) => k.kid === header.kid));
    const issuer = alg === 'ES256' ? 'https://id.example.com' : api.config.issuer;
    assert.equal(api.config.issuer, issuer);
    const { payload } = await jwtVerify(a.token, createLocalJWKSet(jwks.body), { issuer, algorithms: [alg] });
    assert.equal(payload.sub, a.id);
    assert.equal(typeof payload.sid, 'string');
    assert.equal(payload.exp! - payload.iat!, 3600);
    // The server accepts its own token.
    assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  });
}

test('the issuer defaults to USHER_PUBLIC_URL, else http://localhost:PORT', async (t) => {
  const api = await build(t, { USHER_PUBLIC_URL: 'https://users.example.org/' });
  assert.equal(api.config.issuer, 'https://users.example.org');
  const local = await build(t, { PORT: '4321' });
  assert.equal(local.config.issuer, 'http://localhost:4321');
  const { payload } = await jwtVerify(
    (await local.user()).token,
    createLocalJWKSet((await local.request('GET', '/.well-known/jwks.json')).body),
    {
      issuer: 'http://localhost:4321',
    },
  );
  assert.equal(payload.iss, 'http://localhost:4321');
});

test('HS256 stays for deployments with USHER_JWT_SECRET: nothing published, nothing to rotate', async (t) => {
  const secret = 'a-deployment-secret-of-at-least-32-bytes!';
  const api = await build(t, { USHER_JWT_SECRET: secret });
  const a = await api.user();
  assert.equal(decodeProtectedHeader(a.token).alg, 'HS256');
  const { payload } = await jwtVerify(a.token, new TextEncoder().encode(secret), { issuer: api.config.issuer });
  assert.equal(payload.sub, a.id);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  const jwks = await api.request('GET', '/.well-known/jwks.json');
  assert.deepEqual(jwks.body, { keys: [] });
  const admin = await api.admin();
  const rotate = await api.request('POST', '/api/v1/signing-keys/rotate', { token: admin.token });
  assert.equal(rotate.status, 422);
  assert.match(rotate.body.error.message, /USHER_JWT_SECRET/);
  assert.deepEqual((await api.request('GET', '/api/v1/signing-keys', { token: admin.token })).body.data, []);
  // USHER_JWT_ALG=HS256 with the secret: the same.
  const explicit = await build(t, { USHER_JWT_SECRET: secret, USHER_JWT_ALG: 'HS256' });
  assert.equal(decodeProtectedHeader((await explicit.user()).token).alg, 'HS256');
});

test('the migration path: USHER_JWT_ALG=ES256 beside the old USHER_JWT_SECRET signs ES256 and still accepts HS256 tokens', async (t) => {
  const secret = 'a-deployment-secret-of-at-least-32-bytes!';
  const { createDatabase } = await import('../../src/db/database.js');
  const { freshDatabaseUrl } = await import('../support/helper.js');
  const database = createDatabase(await freshDatabaseUrl(t));
  t.after(() => database.close());
  const before = await build(t, { USHER_JWT_SECRET: secret }, { database });
  const a = await before.user();
  assert.equal(decodeProtectedHeader(a.token).alg, 'HS256');
  const after = await build(t, { USHER_JWT_SECRET: secret, USHER_JWT_ALG: 'ES256' }, { database });
  assert.equal((await after.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 200);
  const b = await after.user();
  assert.equal(decodeProtectedHeader(b.token).alg, 'ES256');
  // Without the secret, the old HS256 token is refused (no key checks it).
  const without = await build(t, {}, { database });
  assert.equal((await without.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status, 401);
  assert.equal((await without.request('GET', `/api/v1/users/${b.id}`, { token: b.token })).status, 200);
});
