import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** Issue 15: a stolen access token is not a permanent takeover, and the hashing queue cannot be monopolised. */

const NEW_PASSWORD = 'Another-Pass456!';

test('own password or email changes need a recent password login or the current password, on every surface', async (t) => {
  const api = await build(t);
  const a = await api.user();
  // The specs' flow: log in, then change the password at once.
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { password: NEW_PASSWORD } })).status,
    200,
  );
  const fresh = await api.login(a.username, NEW_PASSWORD);

  api.clock.advance(601_000);
  // A refresh renews the tokens, not the proof of who holds them.
  const refreshed = (
    await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: fresh.refresh_token } })
  ).body.access_token;
  const stale = [
    ['PATCH', `/api/v1/users/${a.id}`, { password: PASSWORD }],
    ['PUT', `/api/v1/users/${a.id}`, { email: 'new@example.com' }],
    ['PUT', '/api/profile/', { email: 'new@example.com' }],
    ['PUT', `/api/users/profiles/${a.id}`, { email: 'new@example.com' }],
  ] as const;
  for (const [method, url, body] of stale) {
    const res = await api.request(method, url, { token: refreshed, body });
    assert.equal(res.status, 403, `${method} ${url}`);
    assert.equal(res.body.error.code, 'REAUTHENTICATION_REQUIRED');
    const wrong = await api.request(method, url, {
      token: refreshed,
      body: { ...body, current_password: 'Not-The-One-1' },
    });
    assert.equal(wrong.status, 400, `${method} ${url}`);
    assert.match(wrong.body.error.details.current_password, /incorrect/);
  }
  // Other fields need no proof; the right current password unlocks the change.
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: refreshed, body: { first_name: 'Still' } })).status,
    200,
  );
  const ok = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: refreshed,
    body: { email: 'proved@example.com', current_password: NEW_PASSWORD },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.email, 'proved@example.com');
  // An admin changing someone else's password needs no proof of theirs.
  const admin = await api.admin();
  api.clock.advance(601_000);
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { password: PASSWORD } })).status,
    200,
  );
});

test('wrong old or current passwords count against the per-address login limit', async (t) => {
  const api = await build(t, {
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_LOGIN_PER_MIN: '5',
    USHER_RATE_LIMIT_AUTH_PER_MIN: '1000',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
    USHER_RATE_LIMIT_ANON_PER_MIN: '1000',
  });
  const a = await api.user();
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    statuses.push(
      (
        await api.request('PUT', '/api/change_password/', {
          token: a.token,
          body: { old_password: `Guess-${i}-abc`, new_password: NEW_PASSWORD },
        })
      ).status,
    );
  }
  // The user's own login counted once; four wrong guesses fill the limit of five.
  assert.deepEqual(statuses, [400, 400, 400, 400, 429, 429, 429]);
  const refused = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: a.token,
    body: { email: 'x@example.com', current_password: PASSWORD },
  });
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  // Requests that check no password are not held up.
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { first_name: 'Fine' } })).status,
    200,
  );
  api.clock.advance(60_001);
  assert.equal(
    (
      await api.request('PUT', '/api/change_password/', {
        token: a.token,
        body: { old_password: PASSWORD, new_password: NEW_PASSWORD },
      })
    ).status,
    200,
  );
});

test('a flood of logins from one address cannot starve another: its excess gets 503 with Retry-After, the real user gets in', async (t) => {
  const api = await build(t, {
    USHER_PASSWORD_HASH_CONCURRENCY: '1',
    USHER_HASH_QUEUE_TIMEOUT: '1',
    USHER_TRUST_PROXY: 'true',
  });
  const victim = await api.register();
  // Credential stuffing from one address: a different account each time.
  const flood = Array.from({ length: 120 }, (_, i) =>
    api.request('POST', '/api/v1/auth/login', {
      headers: { 'x-forwarded-for': '198.51.100.66' },
      body: { username: `stuffed_${i}`, password: 'Wrong-guess-1' },
    }),
  );
  await new Promise((r) => setImmediate(r));
  const real = await api.request('POST', '/api/v1/auth/login', {
    headers: { 'x-forwarded-for': '192.0.2.10' },
    body: { username: victim.username, password: PASSWORD },
  });
  assert.equal(real.status, 200, real.raw);
  const answers = await Promise.all(flood);
  const busy = answers.filter((r) => r.status === 503);
  assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([401, 503]));
  // At most 64 wait per address, the rest are refused at once; of those waiting, the ones that cannot start within a
  // second are refused too.
  assert.ok(busy.length >= 30, `${busy.length} refused`);
  for (const r of busy) {
    assert.equal(r.body.error.code, 'SERVICE_UNAVAILABLE');
    assert.ok(Number(r.headers['retry-after']) >= 1);
    assert.equal(r.body.error.details.retry_after, Number(r.headers['retry-after']));
  }
});
