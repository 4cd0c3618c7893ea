import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { PASSWORD, build } from '../support/helper.js';

/**
 * Issue 23, item 2: an admin-role API key was a back door. It made an admin
 * who signed in and made a key of their own (surviving the first key's
 * revocation), set another admin's password, and an admin it made turned off
 * an MFA admin's second factor. Replayed here; every step is now refused.
 */
const codeFor = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

test('an admin-role key cannot make, promote or change admins; what it makes is named when it is revoked', async (t) => {
  const api = await build(t);
  const root = await api.admin();
  const { id: keyId, key } = await api.apiKey({ name: 'backoffice' });

  // No admin made through a key, on either surface that creates users with one.
  const made = await api.request('POST', '/api/v1/users', {
    apiKey: key,
    body: { username: 'eve_admin', email: 'eve@example.com', password: 'Quiet-Harbor-913', role: 'admin' },
  });
  assert.equal(made.status, 403);
  assert.equal(made.body.error.code, 'INSUFFICIENT_PERMISSIONS');
  const keyed = await api.request('POST', '/v1/users', {
    apiKey: key,
    body: { username: 'eve_admin', email: 'eve@example.com', password: 'Quiet-Harbor-913', role: 'admin' },
  });
  assert.equal(keyed.status, 403);
  const count = await api.database.db
    .selectFrom('users')
    .select((e) => e.fn.countAll().as('n'))
    .where('username', '=', 'eve_admin')
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0, 'nothing was created');

  // A plain user made by the key cannot be promoted by it.
  const plain = await api.request('POST', '/api/v1/users', {
    apiKey: key,
    body: { username: 'eve_plain', email: 'plain@example.com', password: 'Quiet-Harbor-913' },
  });
  assert.equal(plain.status, 201);
  const promote = await api.request('PATCH', `/api/v1/users/${plain.body.data.id}`, {
    apiKey: key,
    body: { role: 'admin' },
  });
  assert.equal(promote.status, 403);

  // Another admin's password, email, status and role are out of a key's reach.
  for (const body of [
    { password: 'Taken-Over-4477x' },
    { email: 'attacker@example.com' },
    { status: 'suspended' },
    { role: 'user' },
  ]) {
    const res = await api.request('PATCH', `/api/v1/users/${root.id}`, { apiKey: key, body });
    assert.equal(res.status, 403, JSON.stringify(body));
  }
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 'root_admin', password: PASSWORD } })).status,
    200,
    'the admin password is unchanged',
  );

  // Revoking the key names what it made.
  assert.equal((await api.request('DELETE', `/api/v1/api-keys/${keyId}`, { token: root.token })).status, 204);
  const events = await api.request('GET', '/api/v1/audit-events?type=api_key.revoked', { token: root.token });
  assert.deepEqual(events.body.data[0].details, {
    key_id: keyId,
    name: 'backoffice',
    created_users: [plain.body.data.id],
    created_users_count: 1,
  });
});

test("another admin's password, email or second factor needs a signed-in admin who proved themselves within USHER_REAUTH_WINDOW", async (t) => {
  const api = await build(t, { USHER_REAUTH_WINDOW: '600' });
  const root = await api.admin();
  // The root admin turns on a second factor.
  const secret = (
    await api.request('POST', '/api/v1/auth/mfa/totp', { token: root.token, body: { password: PASSWORD } })
  ).body.data.secret;
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
        token: root.token,
        body: { code: codeFor(secret, api.clock.now()) },
      })
    ).status,
    200,
  );

  const second = await api.withRole('admin');
  api.clock.advance(601_000);
  // Eleven minutes later the second admin's token still works, but not for another admin's credentials or MFA.
  for (const body of [{ password: 'Taken-Over-4477x' }, { email: 'attacker@example.com' }]) {
    const res = await api.request('PATCH', `/api/v1/users/${root.id}`, { token: second.token, body });
    assert.equal(res.status, 403, JSON.stringify(body));
    assert.equal(res.body.error.code, 'REAUTHENTICATION_REQUIRED');
  }
  const reset = await api.request('DELETE', `/api/v1/users/${root.id}/mfa`, { token: second.token });
  assert.equal(reset.status, 403);
  assert.equal(reset.body.error.code, 'REAUTHENTICATION_REQUIRED');
  // A refresh is not a sign-in.
  const refreshed = await api.request('POST', '/api/v1/auth/refresh', {
    body: { refresh_token: (await api.login(second.username)).refresh_token },
  });
  api.clock.advance(601_000);
  const stale = await api.request('POST', '/api/v1/auth/refresh', {
    body: { refresh_token: refreshed.body.refresh_token },
  });
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${root.id}/mfa`, { token: stale.body.access_token })).status,
    403,
  );

  // Other changes of another admin (a display name) and changes of non-admins need no fresh sign-in.
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${root.id}`, { token: second.token, body: { first_name: 'Root' } }))
      .status,
    200,
  );
  const user = await api.user();
  assert.equal(
    (
      await api.request('PATCH', `/api/v1/users/${user.id}`, {
        token: second.token,
        body: { password: 'Fresh-Meadow-5521' },
      })
    ).status,
    200,
  );

  // Signed in again, the second admin may.
  const fresh = await api.login(second.username);
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${root.id}/mfa`, { token: fresh.access_token })).status,
    204,
  );
  assert.equal(
    (
      await api.request('PATCH', `/api/v1/users/${root.id}`, {
        token: fresh.access_token,
        body: { password: 'Fresh-Meadow-5521' },
      })
    ).status,
    200,
  );
});
