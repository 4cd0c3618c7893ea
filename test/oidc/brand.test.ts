import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { loadConfig } from '../../src/config.js';
import { Agent, REDIRECT, startIssuer } from '../support/oidc.js';

/** The hosted pages in the deployment's brand; confidential clients may send their secret in the body too. */

test('the sign-in page shows USHER_BRAND_NAME and its logo; the stylesheet has USHER_BRAND_COLOR', async (t) => {
  const op = await startIssuer(t, {
    USHER_BRAND_NAME: 'Acme <Corp>',
    USHER_BRAND_LOGO_URL: 'https://cdn.example.com/logo.svg',
    USHER_BRAND_COLOR: '#aa0000',
  });
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT] });
  const rp = await op.relyingParty(app);
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const page = await new Agent().follow(url.href, op.issuer);
  assert.ok(page.html?.includes('<span class="brand-name">Acme &lt;Corp&gt;</span>'), 'the name, escaped');
  assert.ok(page.html?.includes('<img class="logo" src="https://cdn.example.com/logo.svg" alt="">'));
  assert.match(String(page.res.headers.get('content-security-policy')), /img-src 'self' https:/);
  const css = await fetch(`${op.issuer}/oidc/assets/hosted.css`);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  assert.match(await css.text(), /--brand:#aa0000/);
});

test('a brand setting that is not valid stops the start, naming the variable', () => {
  assert.throws(() => loadConfig({ USHER_BRAND_COLOR: 'red;}body{display:none' }), /USHER_BRAND_COLOR/);
  assert.throws(() => loadConfig({ USHER_BRAND_LOGO_URL: 'javascript:alert(1)' }), /USHER_BRAND_LOGO_URL/);
  assert.throws(() => loadConfig({ USHER_BRAND_NAME: 'x'.repeat(61) }), /USHER_BRAND_NAME/);
});

test('client_secret_post works as client_secret_basic does', async (t) => {
  const op = await startIssuer(t);
  const machine = await op.application({ name: 'Cron', type: 'machine' });
  const rp = await client.discovery(
    new URL(op.issuer),
    machine.client_id,
    undefined,
    client.ClientSecretPost(machine.client_secret!),
    { execute: [client.allowInsecureRequests] },
  );
  const granted = await client.clientCredentialsGrant(rp);
  assert.equal((await client.tokenIntrospection(rp, granted.access_token)).active, true);
});
