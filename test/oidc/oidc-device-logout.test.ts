import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { PASSWORD } from '../support/helper.js';
import { Agent, REDIRECT, formAction, signIn, startIssuer } from '../support/oidc.js';

/** The device authorization grant (RFC 8628) and RP-initiated logout, through openid-client and the hosted pages. */

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

test('a native app signs in with the device grant: the code is typed on the hosted page, then tokens are issued once', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const tv = await op.application({ name: 'TV', type: 'native', redirect_uris: ['com.example.tv:/cb'] });
  const rp = await op.relyingParty(tv);
  const started = await client.initiateDeviceAuthorization(rp, { scope: 'openid profile' });
  assert.match(started.user_code, /^[A-Z]{4}-?[A-Z]{4}$/);
  const early = client.genericGrantRequest(rp, DEVICE_GRANT, { device_code: started.device_code });
  await assert.rejects(early, (e: { error?: string }) => e.error === 'authorization_pending');

  const agent = new Agent();
  let step = await agent.follow(started.verification_uri, op.issuer);
  assert.ok(step.html?.includes('Device code'), 'the code entry page');
  const wrong = await agent.follow(new URL(formAction(step.html!, '/device'), op.issuer).href, op.issuer, {
    form: { xsrf: hidden(step.html!, 'xsrf'), user_code: 'BCDF-GHJK' },
  });
  assert.ok(wrong.html?.includes('not valid'), 'a wrong code says so');
  step = await agent.follow(new URL(formAction(wrong.html!, '/device'), op.issuer).href, op.issuer, {
    form: { xsrf: hidden(wrong.html!, 'xsrf'), user_code: started.user_code },
  });
  for (let i = 0; i < 5 && step.html; i++) {
    const html = step.html;
    const [action, form] = html.includes('name="confirm"')
      ? [
          formAction(html, '/device'),
          { xsrf: hidden(html, 'xsrf'), user_code: hidden(html, 'user_code'), confirm: 'yes' },
        ]
      : html.includes('/login"')
        ? [formAction(html, '/login'), { login: user.username, password: PASSWORD }]
        : html.includes('/consent"')
          ? [formAction(html, '/consent'), { decision: 'allow' }]
          : [undefined, undefined];
    if (!action) break;
    step = await agent.follow(new URL(action, op.issuer).href, op.issuer, { form });
  }
  assert.ok(step.html?.includes('Device connected'), step.html);
  const tokens = await client.genericGrantRequest(rp, DEVICE_GRANT, { device_code: started.device_code });
  assert.equal((await client.fetchUserInfo(rp, tokens.access_token, user.id)).sub, user.id);
  await assert.rejects(client.genericGrantRequest(rp, DEVICE_GRANT, { device_code: started.device_code }));
});

test('RP-initiated logout: the confirmation page ends the Usher session and returns to a registered URI only', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const bye = 'http://127.0.0.1:9/bye';
  const app = await op.application({
    name: 'Shop',
    type: 'web',
    redirect_uris: [REDIRECT],
    post_logout_redirect_uris: [bye],
  });
  const rp = await op.relyingParty(app);
  const agent = new Agent();
  const { tokens } = await signIn(op, rp, agent, { login: user.username, password: PASSWORD });
  const idToken = tokens.id_token!;

  const unregistered = await agent.follow(
    client.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' }).href,
    op.issuer,
  );
  assert.equal(unregistered.res.status, 400);
  assert.ok(!unregistered.url.startsWith('https://evil.example'));

  const page = await agent.follow(
    client.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: bye, state: 'st' }).href,
    op.issuer,
  );
  assert.ok(page.html?.includes('Sign out'));
  const done = await agent.follow(new URL(formAction(page.html!, '/confirm'), op.issuer).href, op.issuer, {
    form: { xsrf: hidden(page.html!, 'xsrf'), logout: 'yes' },
  });
  assert.equal(done.url, `${bye}?state=st`);
  await assert.rejects(client.fetchUserInfo(rp, tokens.access_token, user.id));
  const audit = await op.api.request('GET', `/api/v1/audit-events?type=user.logout&target_id=${user.id}`, {
    token: (await op.api.admin()).token,
  });
  assert.equal(audit.body.data.length, 1);
  const again = await agent.follow(
    client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).href,
    op.issuer,
  );
  assert.ok(again.html?.includes('Username or email'), 'signed out: the next authorization asks for a sign-in');
});
