import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

/**
 * Guessable passwords are refused everywhere a password is set; every answer carries the security headers; 401s say
 * why.
 */

const WEAK = ['Password123!', 'Qwerty123!', 'Welcome123!'];

test('common and guessable passwords are refused on every surface, naming the field and saying why', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.user();
  for (const weak of WEAK) {
    const username = unique();
    const tries = [
      [
        '/api/v1/users',
        await api.request('POST', '/api/v1/users', {
          body: { username, email: `${username}@example.com`, password: weak },
        }),
        'password',
      ],
      [
        '/api/register/',
        await api.request('POST', '/api/register/', {
          body: { username, email: `${username}@example.com`, password: weak },
        }),
        'password',
      ],
      [
        '/v1/users',
        await api.request('POST', '/v1/users', {
          apiKey: key,
          body: { username, email: `${username}@example.com`, password: weak },
        }),
        'password',
      ],
      [
        'PATCH /api/v1/users',
        await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { password: weak } }),
        'password',
      ],
      [
        'change_password',
        await api.request('PUT', '/api/change_password/', {
          token: a.token,
          body: { old_password: PASSWORD, new_password: weak },
        }),
        'new_password',
      ],
    ] as const;
    for (const [where, res, field] of tries) {
      assert.ok(res.status === 400 || res.status === 422, `${where} ${weak}: ${res.status}`);
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
      const details = res.body.error.details;
      const message = Array.isArray(details) ? details.find((d: any) => d.field === field)?.message : details[field];
      assert.match(message, /too easy to guess/, `${where} ${weak}`);
    }
  }
  // Nothing was stored or changed.
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    200,
  );
});

test('the spec example passes; a 64+ character password is accepted whole, never truncated', async (t) => {
  const api = await build(t);
  await api.register({ password: 'SecurePass123!' });
  const long = `${'correct horse battery staple '.repeat(4)}and-9-more!`;
  assert.ok(long.length > 64 && long.length <= 128);
  const u = await api.register({ password: long });
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: u.username, password: long } })).status,
    200,
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: u.username, password: long.slice(0, 64) } }))
      .status,
    401,
  );
  // A password made of the user's own details is weak.
  const username = unique('lantern');
  const own = await api.request('POST', '/api/v1/users', {
    body: { username, email: `${username}@example.com`, password: `${username}!1` },
  });
  assert.equal(own.status, 400);
});

test('USHER_PASSWORD_MIN_SCORE=0 turns the estimator off', async (t) => {
  const api = await build(t, { USHER_PASSWORD_MIN_SCORE: '0' });
  await api.register({ password: 'Password123!' });
});

test('security headers on every answer; token answers are never cached', async (t) => {
  const api = await build(t);
  const a = await api.register();
  for (const [method, url, body] of [
    ['GET', '/health', undefined],
    ['POST', '/api/v1/auth/login', { username: a.username, password: PASSWORD }],
    ['POST', '/api/login/', { username: a.username, password: PASSWORD }],
    ['GET', '/api/v1/nope', undefined],
  ] as const) {
    const res = await api.request(method, url, { body });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/, url);
    assert.equal(res.headers['cache-control'], 'no-store', url);
  }
  const https = await api.request('GET', '/health', { headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(
    https.headers['strict-transport-security'],
    undefined,
    'a forwarded protocol is not trusted without USHER_TRUST_PROXY',
  );
});

test('401s carry WWW-Authenticate as RFC 6750 says: a bare challenge without a token, invalid_token with a bad one', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const none = await api.request('GET', `/api/v1/users/${a.id}`);
  assert.equal(none.status, 401);
  assert.equal(none.headers['www-authenticate'], 'Bearer realm="usher"');
  for (const token of ['not-a-jwt', `${a.token.slice(0, -3)}abc`]) {
    const bad = await api.request('GET', `/api/v1/users/${a.id}`, { token });
    assert.equal(bad.status, 401);
    assert.match(
      String(bad.headers['www-authenticate']),
      /^Bearer realm="usher", error="invalid_token", error_description="[^"]+"$/,
    );
  }
  const wrongLogin = await api.request('POST', '/api/v1/auth/login', {
    body: { username: a.username, password: 'Wrong-guess-77' },
  });
  assert.equal(wrongLogin.headers['www-authenticate'], 'Bearer realm="usher"');
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).headers['www-authenticate'],
    undefined,
  );
});
