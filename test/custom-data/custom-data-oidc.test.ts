import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { PASSWORD } from '../support/helper.js';
import { Agent, REDIRECT, signIn, startIssuer } from '../support/oidc.js';

/** The `custom_data` scope releases the user's custom_data as one claim, to openid-client as the relying party. */

test('custom_data scope: the object in the ID token and userinfo; not without the scope', async (t) => {
  const op = await startIssuer(t);
  const admin = await op.api.admin();
  const user = await op.api.user();
  const data = { plan: 'pro', seats: 3, org: { region: 'eu' } };
  const set = await op.api.request('PATCH', `/api/v1/users/${user.id}`, {
    token: admin.token,
    body: { custom_data: data },
  });
  assert.equal(set.status, 200);
  const app = await op.application({
    name: 'Crm',
    type: 'web',
    redirect_uris: [REDIRECT],
    scopes: ['openid', 'profile', 'custom_data'],
  });
  const rp = await op.relyingParty(app);
  assert.ok(rp.serverMetadata().scopes_supported?.includes('custom_data'));
  assert.ok(rp.serverMetadata().claims_supported?.includes('custom_data'));

  const { tokens } = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    scope: 'openid custom_data',
    extra: { prompt: 'consent' },
  });
  assert.deepEqual(tokens.claims()!.custom_data, data);
  const info = await client.fetchUserInfo(rp, tokens.access_token, user.id);
  assert.deepEqual(info.custom_data, data);

  const plain = await signIn(op, rp, new Agent(), {
    login: user.username,
    password: PASSWORD,
    scope: 'openid profile',
    extra: { prompt: 'consent' },
  });
  assert.equal(plain.tokens.claims()!.custom_data, undefined);
  const info2 = await client.fetchUserInfo(rp, plain.tokens.access_token, user.id);
  assert.equal(info2.custom_data, undefined);
});
