import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { PASSWORD, build } from '../support/helper.js';
import { Agent, REDIRECT, signIn, startIssuer } from '../support/oidc.js';

/** ID tokens are signed with the key ring's current key and verify from the one JWKS, across a rotation. */

test('ID tokens verify from /.well-known/jwks.json before and after a key rotation', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const rp = await op.relyingParty(await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT] }));
  const jwksUri = rp.serverMetadata().jwks_uri!;
  assert.equal(jwksUri, `${op.issuer}/.well-known/jwks.json`);
  const jwks = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 0 });
  const verify = (token: string) =>
    jwtVerify(token, jwks, { issuer: op.issuer, audience: rp.clientMetadata().client_id });

  const before = (await signIn(op, rp, new Agent(), { login: user.username, password: PASSWORD })).tokens.id_token!;
  const admin = await op.api.admin();
  const keys = await op.api.request('GET', '/api/v1/signing-keys', { token: admin.token });
  const current = keys.body.data.find((k: { state: string }) => k.state === 'current');
  assert.equal(decodeProtectedHeader(before).kid, current.kid);
  assert.equal(decodeProtectedHeader(before).alg, 'ES256');
  await verify(before);
  const asAccessToken = await op.api.request('GET', `/api/v1/users/${user.id}`, { token: before });
  assert.equal(asAccessToken.status, 401, 'an ID token is no access token to /api/v1');

  const rotated = await op.api.request('POST', '/api/v1/signing-keys/rotate', { token: admin.token });
  assert.equal(rotated.status, 200, rotated.raw);
  const after = (await signIn(op, rp, new Agent(), { login: user.username, password: PASSWORD })).tokens.id_token!;
  assert.notEqual(decodeProtectedHeader(after).kid, current.kid, 'the provider signs with the new current key');
  await verify(after);
  await verify(before);
  const own = await fetch(`${op.issuer}/oidc/jwks`).then((r) => r.json());
  const root = await fetch(jwksUri).then((r) => r.json());
  assert.deepEqual(own, root, "the provider's own JWKS address serves the same keys");
});

test('with HS256 tokens (USHER_JWT_SECRET) there is no provider: its addresses are 404', async (t) => {
  const api = await build(t, { USHER_JWT_SECRET: 'x'.repeat(40) });
  for (const url of ['/.well-known/openid-configuration', '/oidc/auth', '/oidc/interaction/abc']) {
    const res = await api.request('GET', url);
    assert.equal(res.status, 404, url);
  }
});
