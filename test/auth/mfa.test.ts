import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { PASSWORD, build } from '../support/helper.js';

/** TOTP as an authenticator computes it, recovery codes, and the login challenge on every surface. */

const codeFor = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

test('turning TOTP on, logging in with it on every surface, no replay, recovery codes once, five wrong codes void the challenge', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } });
  assert.equal(setup.status, 200, setup.raw);
  const { secret, otpauth_url, qr_svg } = setup.body.data;
  assert.match(otpauth_url, /^otpauth:\/\/totp\/Usher:/);
  assert.match(qr_svg, /^<svg/);
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).body.data.mfa_enabled,
    false,
    'not active until confirmed',
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/mfa/totp/confirm', { token: a.token, body: { code: '000000' } })).status,
    400,
  );
  const confirmed = await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token: a.token,
    body: { code: codeFor(secret, api.clock.now()) },
  });
  assert.equal(confirmed.status, 200);
  const recovery: string[] = confirmed.body.data.recovery_codes;
  assert.equal(recovery.length, 10);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).body.data.mfa_enabled, true);

  // A correct password now earns a challenge, not tokens, on every surface.
  const { key } = await api.apiKey();
  const logins = [
    await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } }),
    await api.request('POST', '/v1/auth/login', { apiKey: key, body: { username: a.username, password: PASSWORD } }),
    await api.request('POST', '/api/login/', { body: { username: a.username, password: PASSWORD } }),
  ];
  for (const res of logins) {
    assert.equal(res.status, 200);
    assert.equal(res.body.mfa_required, true);
    assert.ok(res.body.mfa_token && res.body.expires_in > 0);
    assert.equal(res.body.access_token, undefined);
  }
  api.clock.advance(30_000);
  const code = codeFor(secret, api.clock.now());
  const verified = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: logins[0]!.body.mfa_token, code },
  });
  assert.equal(verified.status, 200, verified.raw);
  assert.ok(verified.body.access_token && verified.body.refresh_token);
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: verified.body.access_token })).status, 200);
  const replay = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: logins[1]!.body.mfa_token, code },
  });
  assert.equal(replay.status, 400, 'a TOTP code works once');
  // A recovery code works once.
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/mfa/verify', {
        body: { mfa_token: logins[1]!.body.mfa_token, recovery_code: recovery[0] },
      })
    ).status,
    200,
  );
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/mfa/verify', {
        body: { mfa_token: logins[2]!.body.mfa_token, recovery_code: recovery[0] },
      })
    ).status,
    400,
  );
  // Five wrong codes void the challenge: even the right one fails after.
  for (let i = 0; i < 5; i++)
    await api.request('POST', '/api/v1/auth/mfa/verify', {
      body: { mfa_token: logins[2]!.body.mfa_token, code: '000000' },
    });
  api.clock.advance(30_000);
  const late = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: logins[2]!.body.mfa_token, code: codeFor(secret, api.clock.now()) },
  });
  assert.equal(late.status, 401);
});

test('turning TOTP off needs the password; an admin can reset a lost authenticator; keys cannot touch MFA', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const a = await api.user();
  const secret = (await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } }))
    .body.data.secret;
  await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token: a.token,
    body: { code: codeFor(secret, api.clock.now()) },
  });
  assert.equal(
    (await api.request('DELETE', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: 'Wrong-guess-77' } }))
      .status,
    400,
  );
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${a.id}/mfa`, { token: a.token })).status,
    403,
    'not an admin',
  );
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}/mfa`, { token: admin.token })).status, 204);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).body
      .access_token !== undefined,
    true,
    'back to password-only',
  );
  const secret2 = (await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } }))
    .body.data.secret;
  await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token: a.token,
    body: { code: codeFor(secret2, api.clock.now()) },
  });
  assert.equal(
    (await api.request('DELETE', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } })).status,
    204,
  );
  const { key } = await api.apiKey();
  assert.equal(
    (await api.request('POST', '/api/v1/auth/mfa/totp', { apiKey: key, body: { password: PASSWORD } })).status,
    403,
  );
  const types = (
    await api.request('GET', `/api/v1/audit-events?target_id=${a.id}`, { token: admin.token })
  ).body.data.map((e: any) => e.type);
  assert.ok(types.includes('user.mfa_enabled') && types.includes('user.mfa_disabled'));
});
