import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** Per-account protection: guesses from any number of addresses lock the account, never its known owner for long. */

const env = { USHER_TRUST_PROXY: 'true' };
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function guess(api: Awaited<ReturnType<typeof build>>, username: string, times: number, ipBase = '198.51.100.') {
  for (let i = 0; i < times; i++) {
    const res = await api.request('POST', '/api/v1/auth/login', {
      headers: from(`${ipBase}${i + 1}`),
      body: { username, password: `Wrong-guess-${i}` },
    });
    assert.equal(res.status, 401, `guess ${i + 1}`);
  }
}

test('ten failures from ten addresses lock the account: 429 with Retry-After even for the right password; the lock grows', async (t) => {
  const api = await build(t, env);
  const a = await api.register();
  await guess(api, a.username, 10);
  const locked = await api.request('POST', '/api/v1/auth/login', {
    headers: from('192.0.2.200'),
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'RATE_LIMIT_EXCEEDED');
  assert.equal(locked.headers['retry-after'], '300');
  // By email too: the lock is the account's, not the typed name's.
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: from('192.0.2.201'),
        body: { email: a.email, password: PASSWORD },
      })
    ).status,
    429,
  );
  // Every surface's login is the same check.
  assert.equal(
    (
      await api.request('POST', '/api/login/', {
        headers: from('192.0.2.202'),
        body: { username: a.username, password: PASSWORD },
      })
    ).status,
    429,
  );

  api.clock.advance(300_001);
  await guess(api, a.username, 10, '198.51.101.');
  const again = await api.request('POST', '/api/v1/auth/login', {
    headers: from('192.0.2.203'),
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(again.status, 429);
  assert.equal(again.headers['retry-after'], '600', 'the second lock is twice as long');
  api.clock.advance(600_001);
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: from('192.0.2.204'),
        body: { username: a.username, password: PASSWORD },
      })
    ).status,
    200,
    'the lock ends',
  );
});

test('an address the owner logged in from before keeps a small allowance during a lock, and a success clears it', async (t) => {
  const api = await build(t, env);
  const a = await api.register();
  const home = from('192.0.2.77');
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: home,
        body: { username: a.username, password: PASSWORD },
      })
    ).status,
    200,
  );
  await guess(api, a.username, 10);
  const ok = await api.request('POST', '/api/v1/auth/login', {
    headers: home,
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(ok.status, 200, 'the owner, from home, is not locked out');
  // The success cleared the count: the attacker starts from zero.
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: from('198.51.100.99'),
        body: { username: a.username, password: 'Wrong-guess-x' },
      })
    ).status,
    401,
  );
});

test('unknown names lock the same way (no enumeration); USHER_LOCKOUT=off turns it off apart from the rate limits', async (t) => {
  const api = await build(t, env);
  await guess(api, 'nobody_here_at_all', 10);
  const res = await api.request('POST', '/api/v1/auth/login', {
    headers: from('192.0.2.1'),
    body: { username: 'nobody_here_at_all', password: 'Wrong-guess-x' },
  });
  assert.equal(res.status, 429);

  const off = await build(t, { ...env, USHER_LOCKOUT: 'off' });
  const b = await off.register();
  await guess(off, b.username, 12);
  assert.equal(
    (
      await off.request('POST', '/api/v1/auth/login', {
        headers: from('192.0.2.1'),
        body: { username: b.username, password: PASSWORD },
      })
    ).status,
    200,
  );
});

test('wrong old passwords count against the account too', async (t) => {
  const api = await build(t, env);
  const a = await api.user();
  for (let i = 0; i < 10; i++) {
    const res = await api.request('PUT', '/api/change_password/', {
      token: a.token,
      headers: from(`203.0.113.${i + 1}`),
      body: { old_password: `Guess-${i}-abcdef`, new_password: 'Brand-New-Lantern-5' },
    });
    assert.equal(res.status, 400);
  }
  const res = await api.request('PUT', '/api/change_password/', {
    token: a.token,
    headers: from('203.0.113.50'),
    body: { old_password: PASSWORD, new_password: 'Brand-New-Lantern-5' },
  });
  assert.equal(res.status, 429);
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        headers: from('192.0.2.9'),
        body: { username: a.username, password: PASSWORD },
      })
    ).status,
    429,
  );
});
