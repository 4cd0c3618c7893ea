import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { Outbound } from '../../src/core/security/outbound.js';
import type { IdentityProvider } from '../../src/core/storage.js';
import { newProvider } from '../../src/core/upstream/provider.rules.js';
import { UpstreamError, upstreamClients } from '../../src/core/upstream/upstream-client.js';

const ENTRA = 'https://login.microsoftonline.com';
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * Entra's multi-tenant issuer with the microsoft preset, without the network: Entra's discovery document (its issuer
 * templated `{tenantid}`), keys and token endpoint answered by the outbound guard's stand-in. A token from a tenant
 * must pass openid-client's Entra issuer check (iss = the template with the token's own tid), and only that.
 */
test("the microsoft preset checks Entra's tenant issuer with the token's tid", async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'e1', alg: 'RS256', use: 'sig' };
  let claims: Record<string, unknown> = {};
  let tokenAuth = '';
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  const outbound: Outbound = {
    insecureLoopback: false,
    check: (url) => new URL(url),
    async fetch(url, init) {
      const at = new URL(url).href;
      if (at === `${ENTRA}/common/v2.0/.well-known/openid-configuration`)
        return json({
          issuer: `${ENTRA}/{tenantid}/v2.0`,
          authorization_endpoint: `${ENTRA}/common/oauth2/v2.0/authorize`,
          token_endpoint: `${ENTRA}/common/oauth2/v2.0/token`,
          jwks_uri: `${ENTRA}/common/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        });
      if (at === `${ENTRA}/common/discovery/v2.0/keys`) return json({ keys: [jwk] });
      if (at === `${ENTRA}/common/oauth2/v2.0/token`) {
        tokenAuth = new Headers(init?.headers).get('authorization') ?? '';
        const idToken = await new SignJWT({ tid: TENANT, email: 'pat@contoso.test', ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: 'e1' })
          .setIssuer((claims.iss as string) ?? `${ENTRA}/${TENANT}/v2.0`)
          .setSubject('entra-subject')
          .setAudience('ms-app')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        return json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
      }
      return new Response('not found', { status: 404 });
    },
  };
  const provider: IdentityProvider = newProvider('microsoft', { clientId: 'ms-app' }, 'p1', new Date().toISOString());
  const clients = upstreamClients(outbound, Date.now);
  const redirect = 'https://usher.example.com/auth/callback/p1';
  const exchange = async (extra: Record<string, unknown>) => {
    const checks = { state: `s${Math.random()}`, nonce: 'n1', verifier: 'v'.repeat(43) };
    const start = await clients.authorizationUrl(provider, 'ms-secret', redirect, checks);
    assert.equal(start.origin + start.pathname, `${ENTRA}/common/oauth2/v2.0/authorize`);
    claims = { nonce: 'n1', ...extra };
    return clients.exchange(provider, 'ms-secret', new URL(`${redirect}?code=c1&state=${checks.state}`), checks);
  };

  const profile = await exchange({ xms_edov: true });
  assert.equal(profile.subject, 'entra-subject');
  assert.equal(profile.emailVerified, true);
  assert.match(tokenAuth, /^Basic /, 'the client authentication is chosen from the discovered methods');
  // Another tenant's issuer than the token's tid, or the literal template, is refused.
  await assert.rejects(exchange({ iss: `${ENTRA}/00000000-0000-0000-0000-000000000000/v2.0` }), UpstreamError);
  await assert.rejects(exchange({ iss: `${ENTRA}/{tenantid}/v2.0` }), UpstreamError);
});
