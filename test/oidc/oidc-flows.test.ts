import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { PASSWORD } from '../support/helper.js';
import { Agent, REDIRECT, authorize, signIn, startIssuer } from '../support/oidc.js';
import { parsePrometheus } from '../support/prometheus.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The OpenID provider through openid-client, a real relying party, against a listening Usher (both databases). */

const WEB = {
  name: 'Shop',
  type: 'web',
  redirect_uris: [REDIRECT],
  post_logout_redirect_uris: ['http://127.0.0.1:9/bye'],
};

test('code flow with PKCE: ID token and userinfo claims, and the sign-in is a Usher session the user can end', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user({ first_name: 'Ada', last_name: 'Lovelace' });
  const app = await op.application({ ...WEB, scopes: ['openid', 'profile', 'email', 'roles', 'offline_access'] });
  const rp = await op.relyingParty(app);
  const discovery = rp.serverMetadata();
  assert.equal(discovery.issuer, op.issuer);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.equal(discovery.authorization_response_iss_parameter_supported, true);

  const before = await op.api.request('GET', '/api/v1/auth/sessions', { token: user.token });
  const { tokens, pages } = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    scope: 'openid profile email roles offline_access',
    extra: { prompt: 'consent' },
  });
  assert.ok(pages[0]!.includes('Username or email'), 'the sign-in page was shown');
  const claims = tokens.claims()!;
  assert.equal(claims.sub, user.id);
  assert.equal(claims.preferred_username, user.username);
  assert.equal(claims.name, 'Ada Lovelace');
  assert.equal(claims.given_name, 'Ada');
  assert.equal(claims.family_name, 'Lovelace');
  assert.equal(claims.email, user.email);
  assert.deepEqual(claims.roles, []);
  assert.equal(claims.usher_role, 'user');
  const info = await client.fetchUserInfo(rp, tokens.access_token, user.id);
  assert.equal(info.email, user.email);
  assert.ok(tokens.refresh_token);

  // The sign-in is one more Usher session of the user's; ending it ends the provider's tokens at once.
  const after = await op.api.request('GET', '/api/v1/auth/sessions', { token: user.token });
  assert.equal(after.body.data.length, before.body.data.length + 1);
  const known = new Set(before.body.data.map((s: { id: string }) => s.id));
  const oidcSession = after.body.data.find((s: { id: string }) => !known.has(s.id));
  const ended = await op.api.request('DELETE', `/api/v1/auth/sessions/${oidcSession.id}`, { token: user.token });
  assert.equal(ended.status, 204);
  await assert.rejects(
    client.refreshTokenGrant(rp, tokens.refresh_token!),
    (e: { error?: string }) => e.error === 'invalid_grant',
  );
  await assert.rejects(client.fetchUserInfo(rp, tokens.access_token, user.id));
  assert.equal((await client.tokenIntrospection(rp, tokens.access_token)).active, false);
  const audit = await op.api.request('GET', `/api/v1/audit-events?target_id=${user.id}&type=user.login`, {
    token: (await op.api.admin()).token,
  });
  assert.ok(audit.body.data.some((e: { details: { client_id?: string } }) => e.details.client_id === app.client_id));
});

test('refused: an unregistered redirect URI is never redirected to; PKCE is required of public clients; a code works once', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const web = await op.application(WEB);
  const rp = await op.relyingParty(web);
  const agent = new Agent();
  const base = rp.serverMetadata().authorization_endpoint!;
  const wrong = await agent.fetch(
    `${base}?client_id=${web.client_id}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
  );
  assert.equal(wrong.status, 400);
  assert.equal(wrong.headers.get('location'), null);
  assert.match(await wrong.text(), /has not registered/);

  const spa = await op.application({ name: 'Spa', type: 'spa', redirect_uris: [REDIRECT] });
  for (const extra of ['', '&code_challenge=abc&code_challenge_method=plain']) {
    const res = await agent.fetch(
      `${base}?client_id=${spa.client_id}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}${extra}`,
    );
    const to = new URL(res.headers.get('location') ?? 'http://x/', base);
    assert.equal(to.origin + to.pathname, REDIRECT, 'the error goes back to the registered URI');
    assert.equal(to.searchParams.get('error'), 'invalid_request');
  }

  const a = await authorize(op, rp, agent, { login: user.username, password: PASSWORD });
  const first = await client.authorizationCodeGrant(rp, a.url, {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
    expectedNonce: a.nonce,
  });
  await assert.rejects(
    client.authorizationCodeGrant(rp, a.url, {
      pkceCodeVerifier: a.verifier,
      expectedState: a.state,
      expectedNonce: a.nonce,
    }),
  );
  assert.equal(
    (await client.tokenIntrospection(rp, first.access_token)).active,
    false,
    'a reused code revokes what it issued',
  );
});

test('refresh tokens rotate; a second use within the grace window gets the same successor, after it ends the grant', async (t) => {
  const op = await startIssuer(t, { USHER_METRICS_TOKEN: METRICS_TOKEN });
  const refreshes = async (outcome: string) => {
    const res = await op.api.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    return parsePrometheus(res.body).value('usher_token_refreshes_total', { outcome });
  };
  const user = await op.api.user();
  const rp = await op.relyingParty(await op.application(WEB));
  const consent = { prompt: 'consent' };
  const { tokens } = await signIn(op, rp, new Agent(), { login: user.username, password: PASSWORD, extra: consent });
  const [a, b] = await Promise.all([
    client.refreshTokenGrant(rp, tokens.refresh_token!),
    client.refreshTokenGrant(rp, tokens.refresh_token!),
  ]);
  assert.notEqual(a.refresh_token, tokens.refresh_token);
  assert.equal(a.refresh_token, b.refresh_token, 'two tabs at once get one successor');
  const again = await client.refreshTokenGrant(rp, tokens.refresh_token!);
  assert.equal(again.refresh_token, a.refresh_token);
  op.api.clock.advance(11_000);
  await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!), 'reuse after the window');
  await assert.rejects(client.refreshTokenGrant(rp, a.refresh_token!), 'the reuse ended the grant');
  // The provider's refresh grants are counted with /api/v1's: one taken (the replays within the window are not new
  // refreshes), two refused.
  assert.equal(await refreshes('success'), 1);
  assert.equal(await refreshes('refused'), 2);
});

test('machine clients: client_credentials; introspection and revocation (audited); a wrong secret is refused', async (t) => {
  const op = await startIssuer(t);
  const machine = await op.application({ name: 'Cron', type: 'machine' });
  const rp = await op.relyingParty(machine);
  const granted = await client.clientCredentialsGrant(rp);
  assert.equal(granted.token_type, 'bearer');
  const live = await client.tokenIntrospection(rp, granted.access_token);
  assert.equal(live.active, true);
  assert.equal(live.client_id, machine.client_id);
  await client.tokenRevocation(rp, granted.access_token);
  assert.equal((await client.tokenIntrospection(rp, granted.access_token)).active, false);
  const admin = await op.api.admin();
  const audit = await op.api.request('GET', '/api/v1/audit-events?type=oidc.token_revoked', { token: admin.token });
  assert.equal(audit.body.data.length, 1);
  const wrong = await op.relyingParty({ client_id: machine.client_id, client_secret: `${machine.client_secret}x` });
  await assert.rejects(
    client.clientCredentialsGrant(wrong),
    (e: { status?: number; cause?: { status?: number } }) => (e.status ?? e.cause?.status) === 401,
  );
  const row = await op.api.database.db.selectFrom('applications').select('secret_hash').executeTakeFirstOrThrow();
  assert.notEqual(row.secret_hash, machine.client_secret);
});

test('consent for a third-party app is remembered across browsers until the user withdraws it', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const app = await op.application(WEB);
  const rp = await op.relyingParty(app);
  const first = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  assert.ok(first.pages.some((p) => p.includes('Allow access?')));
  const second = await signIn(op, rp, new Agent(), { login: user.username, password: PASSWORD });
  assert.ok(!second.pages.some((p) => p.includes('Allow access?')), 'not asked again');
  const listed = await op.api.request('GET', '/api/v1/auth/consents', { token: user.token });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.data.length, 1);
  assert.equal(listed.body.data[0].application_id, app.id);
  assert.deepEqual(listed.body.data[0].scopes, ['email', 'offline_access', 'openid', 'profile']);
  const other = await op.api.user();
  const notTheirs = await op.api.request('DELETE', `/api/v1/auth/consents/${app.id}`, { token: other.token });
  assert.equal(notTheirs.status, 404);
  const gone = await op.api.request('DELETE', `/api/v1/auth/consents/${app.id}`, { token: user.token });
  assert.equal(gone.status, 204);
  await assert.rejects(client.refreshTokenGrant(rp, second.tokens.refresh_token!));
  const third = await signIn(op, rp, new Agent(), { login: user.username, password: PASSWORD });
  assert.ok(
    third.pages.some((p) => p.includes('Allow access?')),
    'asked again',
  );
  const denied = await authorize(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    consent: 'deny',
    extra: { prompt: 'consent' },
  });
  assert.equal(denied.url.searchParams.get('error'), 'access_denied');
});

test('single sign-on within a browser; prompt=login asks again; suspending the user ends the tokens', async (t) => {
  const op = await startIssuer(t);
  const user = await op.api.user();
  const rp = await op.relyingParty(await op.application({ ...WEB, first_party: true }));
  const agent = new Agent();
  const first = await signIn(op, rp, agent, { login: user.username, password: PASSWORD, extra: { prompt: 'consent' } });
  assert.ok(!first.pages.some((p) => p.includes('Allow access?')), 'first-party: no consent');
  const sso = await signIn(op, rp, agent, { extra: { prompt: 'consent' } });
  assert.equal(sso.pages.length, 0, 'no page at all');
  const forced = await authorize(op, rp, agent, {
    login: user.username,
    password: PASSWORD,
    extra: { prompt: 'login' },
  });
  assert.ok(forced.pages[0]!.includes('Username or email'));
  const admin = await op.api.admin();
  const suspended = await op.api.request('PATCH', `/api/v1/users/${user.id}`, {
    token: admin.token,
    body: { status: 'suspended' },
  });
  assert.equal(suspended.status, 200, suspended.raw);
  await assert.rejects(client.refreshTokenGrant(rp, sso.tokens.refresh_token!));
  await assert.rejects(client.fetchUserInfo(rp, sso.tokens.access_token, user.id));
});
