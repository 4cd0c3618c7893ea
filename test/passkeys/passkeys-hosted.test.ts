import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SoftAuthenticator } from '../support/authenticator.js';
import { Agent, REDIRECT, formAction, startIssuer } from '../support/oidc.js';
import { authorization } from '../support/hosted-flow.js';

/**
 * The hosted sign-in page's passkey routes without a browser (both dialects; the Chromium file runs on SQLite): the
 * options for the page's script, the answer as a form finishing the authorization, and refusals as pages.
 */

const ORIGIN = 'https://id.example.test';

test('hosted page: a passkey answer finishes the authorization; a bad one is the sign-in page again', async (t) => {
  const op = await startIssuer(t, { USHER_WEBAUTHN_RP_ID: 'id.example.test', USHER_WEBAUTHN_ORIGINS: ORIGIN });
  const app = await op.application({ name: 'Shop', type: 'web', first_party: true, redirect_uris: [REDIRECT] });
  const rp = await op.relyingParty(app);
  const me = await op.api.user();
  const device = new SoftAuthenticator(ORIGIN);
  const reg = await op.api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
  const added = await op.api.request('POST', '/api/v1/auth/passkeys/register/verify', {
    token: me.token,
    body: { challenge_id: reg.body.challenge_id, credential: device.create(reg.body.options) },
  });
  assert.equal(added.status, 201, added.raw);

  const agent = new Agent();
  const pending = await authorization(rp, REDIRECT, { scope: 'openid profile' });
  const page = await agent.follow(pending.url, op.issuer);
  assert.match(page.html!, /autocomplete="username webauthn"/);
  assert.match(page.html!, /<script src="\/oidc\/assets\/passkey.js" defer><\/script>/);
  const action = new URL(formAction(page.html!, '/passkey'), op.issuer).href;

  // The options, only for this browser's interaction.
  assert.equal((await new Agent().fetch(`${action}/options`, { method: 'POST' })).status, 422);
  const optionsRes = await agent.fetch(`${action}/options`, { method: 'POST' });
  assert.equal(optionsRes.status, 200);
  const { challenge_id, options } = (await optionsRes.json()) as { challenge_id: string; options: any };
  const answer = device.get(options);

  for (const credential of ['', 'not json', '{"id":5}', JSON.stringify({ ...answer, response: null })]) {
    const refused = await agent.fetch(action, { form: { challenge_id, credential } });
    assert.equal(refused.status, 401, credential);
    assert.match(await refused.text(), /Signing in with a passkey did not work/);
  }
  const done = await agent.follow(action, op.issuer, { form: { challenge_id, credential: JSON.stringify(answer) } });
  assert.ok(done.url.startsWith(REDIRECT), done.url);
  const tokens = await pending.redeem(done.url);
  assert.equal(tokens.claims()!.sub, me.id);
});
