import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, build, freshDatabaseUrl } from '../support/helper.js';
import { Agent, REDIRECT, freePort, signIn } from '../support/oidc.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';

/** Two instances behind one issuer, over one PostgreSQL and one Redis: what one issues, the other honours and ends. */

const postgres = process.env.USHER_TEST_DIALECT === 'postgres';

test('a code issued by instance A is redeemed at B; refresh grace spans instances; ending the session on A ends it on B', {
  skip: (!postgres && 'PostgreSQL only: two instances share one database server') || withoutRedis,
}, async (t) => {
  const url = await freshDatabaseUrl(t);
  const [portA, portB] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${portA}`;
  const prefix = redisPrefix(t);
  const env = (port: number) => ({
    PORT: String(port),
    USHER_ISSUER: issuer,
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: prefix,
  });
  const [dbA, dbB] = [createDatabase(url), createDatabase(url)];
  t.after(() => Promise.all([dbA.close(), dbB.close()]));
  const a = await build(t, env(portA), { database: dbA });
  const b = await build(t, env(portB), { database: dbB });
  await a.app.listen({ port: portA, host: '127.0.0.1' });
  await b.app.listen({ port: portB, host: '127.0.0.1' });

  const admin = await a.admin();
  const made = await a.request('POST', '/api/v1/applications', {
    token: admin.token,
    body: { name: 'Shop', type: 'web', redirect_uris: [REDIRECT] },
  });
  const app = made.body.data;
  const auth = client.ClientSecretBasic(app.client_secret);
  const rpA = await client.discovery(new URL(issuer), app.client_id, undefined, auth, {
    execute: [client.allowInsecureRequests],
  });
  const onB = (endpoint?: string) => endpoint?.replace(`:${portA}/`, `:${portB}/`);
  const m = JSON.parse(JSON.stringify(rpA.serverMetadata())) as client.ServerMetadata;
  const rpB = new client.Configuration(
    {
      ...m,
      token_endpoint: onB(m.token_endpoint),
      userinfo_endpoint: onB(m.userinfo_endpoint),
      introspection_endpoint: onB(m.introspection_endpoint),
      jwks_uri: onB(m.jwks_uri),
    },
    app.client_id,
    undefined,
    auth,
  );
  client.allowInsecureRequests(rpB);

  const user = await b.user();
  const agent = new Agent();
  // Signed in on A (the browser's pages), the code redeemed on B.
  const { tokens } = await signIn({ api: a, issuer } as never, rpB, agent, {
    login: user.username,
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  assert.equal((await client.fetchUserInfo(rpB, tokens.access_token, user.id)).sub, user.id);

  // A refresh on B, the same token again on A within the grace window: the same successor.
  const first = await client.refreshTokenGrant(rpB, tokens.refresh_token!);
  const again = await client.refreshTokenGrant(rpA, tokens.refresh_token!);
  assert.equal(again.refresh_token, first.refresh_token);

  // The sign-in's Usher session ended on A: B refuses its tokens at once.
  const sessions = await a.request('GET', `/api/v1/users/${user.id}/sessions`, { token: admin.token });
  for (const s of sessions.body.data) {
    const ended = await a.request('DELETE', `/api/v1/users/${user.id}/sessions/${s.id}`, { token: admin.token });
    assert.equal(ended.status, 204);
  }
  // B hears of it through Redis (it caches a session's state for at most 1 s otherwise).
  await waitFor(
    'B to refuse the token',
    async () => !(await client.tokenIntrospection(rpB, first.access_token)).active,
  );
  await assert.rejects(client.refreshTokenGrant(rpB, first.refresh_token!));
});
