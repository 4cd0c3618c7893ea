import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SoftAuthenticator } from '../support/authenticator.js';
import { PASSWORD, build } from '../support/helper.js';

/**
 * The SDK's `client.passkeys` against a listening Usher, with the software authenticator. Imported from this
 * repository's built packages/client (the package name may resolve to another checkout's build).
 */
const { default: UserManagementClient } = await import('../../packages/client/dist/index.js');

test('client.passkeys: add, list, rename, sign in (keeping the tokens), and an admin removes it', async (t) => {
  const api = await build(t);
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const device = new SoftAuthenticator(api.config.webauthn.origins[0]!);
  const me = await api.register();
  const user = new UserManagementClient({ baseURL: `${base}/api/v1`, username: me.username, password: PASSWORD });
  await user.auth.login();

  const { challenge_id, options } = await user.passkeys.registrationOptions();
  const added = await user.passkeys.register(challenge_id, device.create(options), 'Laptop');
  assert.equal(added.name, 'Laptop');
  assert.equal((await user.passkeys.rename(added.id, 'Desk')).name, 'Desk');
  assert.deepEqual(
    (await user.passkeys.mine()).map((p) => p.name),
    ['Desk'],
  );

  const fresh = new UserManagementClient({ baseURL: `${base}/api/v1` });
  const login = await fresh.passkeys.loginOptions(me.username);
  const tokens = await fresh.passkeys.login(login.challenge_id, device.get(login.options));
  assert.equal(tokens.token_type, 'Bearer');
  assert.equal((await fresh.users.get(me.id)).username, me.username, 'the client keeps the tokens');

  const admin = new UserManagementClient({ baseURL: `${base}/api/v1`, username: 'root_admin', password: PASSWORD });
  await admin.auth.login();
  assert.equal((await admin.passkeys.list(me.id)).length, 1);
  await admin.passkeys.removeOf(me.id, added.id);
  assert.deepEqual(await user.passkeys.mine(), []);
  await assert.rejects(user.passkeys.remove(added.id), { status: 404 });
});
