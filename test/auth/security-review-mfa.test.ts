import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, type TestApp, build, freshDatabaseUrl } from '../support/helper.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';

/**
 * Issue 23, items 4, 13 and the MFA half of 15: guessing second factors, sessions from before MFA, parallel answers.
 */

const env = { USHER_TRUST_PROXY: 'true' };
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const codeFor = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });
/** A six-digit code no authenticator shows now (none of the steps a verifier accepts). */
const wrongCode = (secret: string, at: number) => {
  const valid = new Set([-1, 0, 1].map((d) => codeFor(secret, at + d * 30_000)));
  let n = 123_456;
  while (valid.has(String(n))) n++;
  return String(n);
};

/** A registered, logged-in user with TOTP on (turned on from that session). */
async function withTotp(api: TestApp) {
  const a = await api.user();
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } });
  assert.equal(setup.status, 200, setup.raw);
  const secret: string = setup.body.data.secret;
  const confirmed = await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
    token: a.token,
    body: { code: codeFor(secret, api.clock.now()) },
  });
  assert.equal(confirmed.status, 200, confirmed.raw);
  return { ...a, secret };
}

/** The password step, answered with a challenge: its token. */
async function challenge(api: TestApp, username: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await api.request('POST', '/api/v1/auth/login', { headers, body: { username, password: PASSWORD } });
  assert.equal(res.status, 200, res.raw);
  assert.equal(res.body.mfa_required, true);
  return res.body.mfa_token;
}

const audit = async (api: TestApp, token: string, qs: string) => {
  const res = await api.request('GET', `/api/v1/audit-events?limit=100${qs}`, { token });
  assert.equal(res.status, 200, res.raw);
  return res.body.data as Array<Record<string, any>>;
};

test('forty wrong TOTP codes from five addresses lock the account (429 with Retry-After, logins too); a known address keeps its allowance; all audited', async (t) => {
  const api = await build(t, env);
  const admin = await api.admin();
  const a = await withTotp(api);
  const home = from('192.0.2.77');
  // The owner logs in fully from home once: that address is known from then on.
  const first = await challenge(api, a.username, home);
  api.clock.advance(30_000);
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/mfa/verify', {
        headers: home,
        body: { mfa_token: first, code: codeFor(a.secret, api.clock.now()) },
      })
    ).status,
    200,
  );

  // The attacker holds the password: nine challenges from five addresses, then forty wrong codes spread over them.
  const attackers = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5'];
  const tokens: string[] = [];
  for (let i = 0; i < 9; i++) tokens.push(await challenge(api, a.username, from(attackers[i % 5]!)));
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const res = await api.request('POST', '/api/v1/auth/mfa/verify', {
      headers: from(attackers[i % 5]!),
      body: { mfa_token: tokens[Math.floor(i / 5)]!, code: wrongCode(a.secret, api.clock.now()) },
    });
    statuses.push(res.status);
    if (res.status === 429) {
      assert.equal(res.body.error.code, 'RATE_LIMIT_EXCEEDED');
      assert.equal(res.headers['retry-after'], '300');
    }
  }
  assert.deepEqual(
    statuses,
    [...Array<number>(10).fill(400), ...Array<number>(30).fill(429)],
    'ten wrong codes (USHER_LOCKOUT_THRESHOLD) lock the account',
  );

  // Locked for everyone else: even the right code on a live challenge, and a new login with the right password.
  api.clock.advance(30_000);
  const rightCode = await api.request('POST', '/api/v1/auth/mfa/verify', {
    headers: from('203.0.113.50'),
    body: { mfa_token: tokens[8]!, code: codeFor(a.secret, api.clock.now()) },
  });
  assert.equal(rightCode.status, 429);
  const login = await api.request('POST', '/api/v1/auth/login', {
    headers: from('203.0.113.51'),
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(login.status, 429);
  assert.ok(Number(login.headers['retry-after']) > 0);

  // The owner, from home, is not locked out; the success clears the count.
  const own = await challenge(api, a.username, home);
  const ok = await api.request('POST', '/api/v1/auth/mfa/verify', {
    headers: home,
    body: { mfa_token: own, code: codeFor(a.secret, api.clock.now()) },
  });
  assert.equal(ok.status, 200, ok.raw);
  await challenge(api, a.username, from('203.0.113.52'));

  // The trail: each refused second factor (why, never the code), and each password step that left one pending.
  const failed = await audit(api, admin.token, `&type=user.mfa_failed&target_id=${a.id}`);
  const reasons = failed.map((e) => e.details.reason);
  assert.equal(reasons.filter((r) => r === 'wrong_code').length, 10);
  assert.equal(reasons.filter((r) => r === 'locked_out').length, 31);
  for (const e of failed) {
    assert.deepEqual(Object.keys(e.details), ['reason']);
    assert.equal(e.actor_id, null);
  }
  assert.deepEqual(
    new Set(failed.filter((e) => e.details.reason === 'wrong_code').map((e) => e.ip)),
    new Set(attackers),
  );
  const pending = await audit(api, admin.token, `&type=user.login_mfa_pending&target_id=${a.id}`);
  assert.equal(pending.length, 12, 'home twice, nine attacker challenges, and the last one');
  assert.ok(pending.every((e) => e.actor_id === a.id && e.ip !== null));
  assert.ok(pending.some((e) => e.ip === '198.51.100.3'));
  const lockedLogins = await audit(api, admin.token, `&type=user.login_failed&target_id=${a.id}`);
  assert.deepEqual(
    lockedLogins.map((e) => e.details.reason),
    ['locked_out'],
  );
});

test('wrong recovery codes count too, and a password login does not clear the count of wrong second factors', async (t) => {
  const api = await build(t, { ...env, USHER_LOCKOUT_THRESHOLD: '4' });
  const a = await withTotp(api);
  const attacker = from('198.51.100.9');
  for (let round = 0; round < 2; round++) {
    // Each round starts with a correct password: the count must go on regardless.
    const token = await challenge(api, a.username, attacker);
    for (let i = 0; i < 2; i++) {
      assert.equal(
        (
          await api.request('POST', '/api/v1/auth/mfa/verify', {
            headers: attacker,
            body: { mfa_token: token, recovery_code: 'aaaa-bbbb-cccc-dddd' },
          })
        ).status,
        400,
      );
    }
  }
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: attacker,
        body: { username: a.username, password: PASSWORD },
      })
    ).status,
    429,
  );
});

test('twenty parallel wrong codes at one challenge: at most five are judged, the rest find it spent, and the right code after is refused', async (t) => {
  const api = await build(t, env);
  const a = await withTotp(api);
  const token = await challenge(api, a.username);
  const wrong = wrongCode(a.secret, api.clock.now());
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      api.request('POST', '/api/v1/auth/mfa/verify', {
        headers: from(`198.51.100.${i + 1}`),
        body: { mfa_token: token, code: wrong },
      }),
    ),
  );
  const statuses = answers.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 400).length, 5, `judged: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 401).length, 15, 'refused as spent');
  api.clock.advance(30_000);
  const right = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: token, code: codeFor(a.secret, api.clock.now()) },
  });
  assert.equal(right.status, 401);
  assert.equal(right.body.error.code, 'AUTHENTICATION_REQUIRED');
});

test("turning TOTP on ends the user's other sessions (access and refresh tokens at once); the session that turned it on stays", async (t) => {
  const api = await build(t);
  const a = await api.user();
  const other = await api.login(a.username);
  const me = (token: string) => api.request('GET', `/api/v1/users/${a.id}`, { token });
  assert.equal((await me(other.access_token)).status, 200, 'the other session is live (and cached)');
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: a.token, body: { password: PASSWORD } });
  // Only confirming turns it on: a started setup ends nothing.
  assert.equal((await me(other.access_token)).status, 200);
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
        token: a.token,
        body: { code: codeFor(setup.body.data.secret, api.clock.now()) },
      })
    ).status,
    200,
  );
  assert.equal((await me(other.access_token)).status, 401, 'the older session ends at once, the clock standing still');
  assert.equal(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: other.refresh_token } })).status,
    401,
  );
  assert.equal((await me(a.token)).status, 200, 'the session that turned it on stays');
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 200);
});

async function twoInstances(t: TestContext, settings: Record<string, string>): Promise<[TestApp, TestApp]> {
  const database = createDatabase(await freshDatabaseUrl(t));
  const a = await build(t, settings, { database });
  const b = await build(t, settings, { database });
  t.after(() => database.close());
  return [a, b];
}

test('REDIS_URL: turning TOTP on, on one instance, ends the older session on the other at once; wrong codes on both lock the account', {
  skip: withoutRedis,
}, async (t) => {
  const [a, b] = await twoInstances(t, {
    ...env,
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: redisPrefix(t),
    USHER_LOCKOUT_THRESHOLD: '4',
  });
  const heard: string[] = [];
  b.app.core.bus.subscribe((e) => heard.push(`${e.kind}:${e.id}`));
  const alice = await a.user();
  const other = await a.login(alice.username);
  assert.equal(
    (await b.request('GET', `/api/v1/users/${alice.id}`, { token: other.access_token })).status,
    200,
    'b has the older session cached',
  );
  const secret = (
    await a.request('POST', '/api/v1/auth/mfa/totp', { token: alice.token, body: { password: PASSWORD } })
  ).body.data.secret;
  assert.equal(
    (
      await a.request('POST', '/api/v1/auth/mfa/totp/confirm', {
        token: alice.token,
        body: { code: codeFor(secret, a.clock.now()) },
      })
    ).status,
    200,
  );
  await waitFor('b to hear of the changed user', () => heard.includes(`user:${alice.id}`));
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: other.access_token })).status, 401);
  assert.equal((await b.request('GET', `/api/v1/users/${alice.id}`, { token: alice.token })).status, 200);

  const token = await challenge(a, alice.username, from('198.51.100.1'));
  for (const [i, api] of [a, b, a, b].entries()) {
    const res = await api.request('POST', '/api/v1/auth/mfa/verify', {
      headers: from(`198.51.100.${i + 1}`),
      body: { mfa_token: token, code: wrongCode(secret, api.clock.now()) },
    });
    assert.equal(res.status, 400);
  }
  for (const api of [a, b])
    assert.equal(
      (
        await api.request('POST', '/api/v1/auth/login', {
          headers: from('203.0.113.7'),
          body: { username: alice.username, password: PASSWORD },
        })
      ).status,
      429,
    );
});
