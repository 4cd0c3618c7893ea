import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { PASSWORD, type TestApp } from './helper.js';

/** A person's steps on the hosted pages, and what the application and the mail do around them (hosted-pages.test.ts). */
export const totpOf = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });

/** A pending authorization: its URL (code + PKCE S256, state, nonce) and what redeeming its code needs. */
export async function authorization(rp: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const redeem = (landed: string) =>
    client.authorizationCodeGrant(rp, new URL(landed), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
  return { url: url.href, state, redeem };
}

export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The code of the last mail of `template` to `to`, from the mail outbox (where every mail waits to be sent). */
export async function mailedCode(api: TestApp, to: string, template: string): Promise<string> {
  const rows = await api.database.db
    .selectFrom('mail_outbox')
    .select(['data'])
    .where('to_address', '=', to)
    .where('template', '=', template)
    .orderBy('created_at')
    .execute();
  assert.ok(rows.length > 0, `a ${template} mail to ${to}`);
  return (JSON.parse(rows.at(-1)!.data) as { code: string }).code;
}

/**
 * Turns TOTP on for the user through /api/v1, as an authenticator app would; answers the authenticator. The setup is
 * confirmed with the previous step's code, so the current one is still unused for a sign-in.
 */
export async function turnTotpOn(api: TestApp, token: string): Promise<OTPAuth.TOTP> {
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token, body: { password: PASSWORD } });
  assert.equal(setup.status, 200, setup.raw);
  const totp = totpOf(setup.body.data.secret);
  const confirmed = await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token,
    body: { code: totp.generate({ timestamp: api.clock.now() - 30_000 }) },
  });
  assert.equal(confirmed.status, 200, confirmed.raw);
  return totp;
}
