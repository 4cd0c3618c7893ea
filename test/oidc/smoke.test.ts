import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { Agent, formAction, startIssuer } from '../support/oidc.js';

test('smoke', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: ['http://127.0.0.1:9/cb'], first_party: true });
  const rp = await op.relyingParty(app);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: 'http://127.0.0.1:9/cb', scope: 'openid profile email offline_access', code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', state, nonce, prompt: 'consent',
  });
  const agent = new Agent();
  const page = await agent.follow(url.href, op.issuer);
  console.log(page.url, page.res.status, page.html?.slice(0, 300));
  const action = formAction(page.html!, '/login');
  const done = await agent.follow(new URL(action, op.issuer).href, op.issuer, { form: { login: user.username, password: 'SecurePass123!' } });
  let final = done;
  if (done.html) final = await agent.follow(new URL(formAction(done.html, '/consent'), op.issuer).href, op.issuer, { form: { decision: 'allow' } });
  console.log(final.url, final.res.status, final.html?.slice(0, 2000));
  const tokens = await client.authorizationCodeGrant(rp, new URL(final.url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  console.log(tokens);
  console.log(tokens.claims());
  const info = await client.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);
  console.log(info);
  const r1 = await client.refreshTokenGrant(rp, tokens.refresh_token!);
  console.log('refreshed', r1.refresh_token !== tokens.refresh_token);
  const r2 = await client.refreshTokenGrant(rp, tokens.refresh_token!);
  assert.equal(r2.refresh_token, r1.refresh_token);
  const intro = await client.tokenIntrospection(rp, r1.access_token);
  console.log(intro);
  const intro2 = await client.tokenIntrospection(rp, user.token);
  console.log(intro2);
});
