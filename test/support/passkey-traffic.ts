import assert from 'node:assert/strict';
import { SoftAuthenticator } from './authenticator.js';
import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

/**
 * Every passkey operation once, through the contract checker (test/http/openapi-contract.test.ts): an app built
 * with its default relying party (`localhost`, http://localhost:3000).
 */
export async function passkeyTraffic(api: TestApp, expect: Expect): Promise<void> {
  const device = new SoftAuthenticator(api.config.webauthn.origins[0]!);
  const me = await api.withRole('moderator');
  const auth = { token: me.token };
  const options = await expect(api, 200, 'POST', '/api/v1/auth/passkeys/register/options', auth);
  const credential = device.create(options.body.options);
  await expect(api, 400, 'POST', '/api/v1/auth/passkeys/register/verify', {
    ...auth,
    body: { challenge_id: options.body.challenge_id, credential: { ...credential, type: 'other' } },
  });
  const added = await expect(api, 201, 'POST', '/api/v1/auth/passkeys/register/verify', {
    ...auth,
    body: { challenge_id: options.body.challenge_id, credential, name: 'Laptop' },
  });
  const id = added.body.data.id;
  await expect(api, 200, 'GET', '/api/v1/auth/passkeys', auth);
  await expect(api, 200, 'PATCH', `/api/v1/auth/passkeys/${id}`, { ...auth, body: { name: 'Desk' } });
  await expect(api, 400, 'PATCH', `/api/v1/auth/passkeys/${id}`, { ...auth, body: { name: '' } });

  const login = await expect(api, 200, 'POST', '/api/v1/auth/passkeys/login/options', { body: {} });
  await expect(api, 200, 'POST', '/api/v1/auth/passkeys/login/verify', {
    body: { challenge_id: login.body.challenge_id, credential: device.get(login.body.options) },
  });
  await expect(api, 401, 'POST', '/api/v1/auth/passkeys/login/verify', {
    body: { challenge_id: login.body.challenge_id, credential: device.get(login.body.options) },
  });
  const again = await expect(api, 200, 'POST', '/api/v1/auth/passkeys/login/options', {
    body: { username: me.username },
  });
  const signedIn = await expect(api, 200, 'POST', '/console/api/session/passkey', {
    headers: { 'x-usher-console': '1' },
    body: { challenge_id: again.body.challenge_id, credential: device.get(again.body.options) },
  });
  assert.equal(signedIn.body.user.username, me.username);

  const admin = await api.admin();
  await expect(api, 200, 'GET', `/api/v1/users/${me.id}/passkeys`, { token: admin.token });
  await expect(api, 403, 'GET', `/api/v1/users/${admin.id}/passkeys`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/users/${me.id}/passkeys/${id}`, { token: admin.token });
  await expect(api, 404, 'DELETE', `/api/v1/auth/passkeys/${id}`, auth);
}
