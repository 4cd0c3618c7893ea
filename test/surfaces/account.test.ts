import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20, 1)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4, 0), Buffer.from('WEBPVP8 '), Buffer.alloc(10, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20, 2)]);

test('register, log in with {token}, read and update the profile with Token and Bearer, with and without trailing slash', async (t) => {
  const api = await build(t);
  const username = unique('acc');
  const reg = await api.request('POST', '/api/register/', {
    body: { username, password: PASSWORD, email: `${username}@example.com`, first_name: 'John', last_name: 'Doe' },
  });
  assert.equal(reg.status, 201, reg.raw);
  assert.equal(reg.body.message, 'User registered successfully');
  assert.equal(reg.body.user.username, username);
  assert.equal(reg.body.user.status, 'active');
  assert.equal(reg.body.user.image, null);

  const login = await api.request('POST', '/api/login', { body: { username, password: PASSWORD } });
  assert.equal(login.status, 200);
  assert.equal(typeof login.body.token, 'string');
  assert.equal(login.body.token, login.body.access_token);
  assert.equal(login.body.token_type, 'Bearer');
  assert.equal(typeof login.body.refresh_token, 'string');
  assert.equal(login.body.expires_in, 3600);

  const token = login.body.token;
  for (const [url, authorization] of [
    ['/api/profile/', `Token ${token}`],
    ['/api/profile', `Bearer ${token}`],
  ] as const) {
    const me = await api.request('GET', url, { headers: { authorization } });
    assert.equal(me.status, 200, url);
    assert.equal(me.body.username, username);
    assert.equal(me.body.first_name, 'John');
  }
  const put = await api.request('PUT', '/api/profile/', {
    headers: { authorization: `Token ${token}` },
    body: { first_name: 'NewFirst', username: `${username}_2` },
  });
  assert.equal(put.status, 200, put.raw);
  assert.equal(put.body.first_name, 'NewFirst');
  assert.equal(put.body.last_name, 'Doe', 'only the given fields change');
  assert.equal(put.body.username, `${username}_2`);
  assert.equal((await api.request('GET', '/api/profile/')).status, 401);
});

test('account errors: 400 invalid, 409 duplicate, 401 bad login, all in the envelope', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const invalid = await api.request('POST', '/api/register/', {
    body: { username: 'x', password: 'short', email: 'bad' },
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error.code, 'VALIDATION_ERROR');
  assert.deepEqual(Object.keys(invalid.body.error.details).sort(), ['email', 'password', 'username']);
  const dup = await api.request('POST', '/api/register/', {
    body: { username: a.username, password: PASSWORD, email: 'new@example.com' },
  });
  assert.equal(dup.status, 409);
  const bad = await api.request('POST', '/api/login/', { body: { username: a.username, password: 'nope12345' } });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error.code, 'AUTHENTICATION_REQUIRED');
  assert.equal((await api.request('PUT', '/api/profile/', { token: a.token, body: { email: 'bad' } })).status, 400);
  assert.equal(
    (await api.request('PUT', '/api/profile/', { token: a.token, body: { role: 'admin' } })).status,
    400,
    'role is not an account field',
  );
});

test('images: PNG, JPEG, WebP and GIF by content, stored and served; anything else 400; over 2 MB 400; 3 MB bodies accepted', async (t) => {
  const api = await build(t);
  const username = unique('img');
  const reg = await api.request('POST', '/api/register/', {
    body: { username, password: PASSWORD, email: `${username}@example.com`, image: PNG.toString('base64') },
  });
  assert.equal(reg.status, 201, reg.raw);
  const url: string = reg.body.user.image;
  assert.match(url, /^\/pictures\/[A-Za-z0-9_-]{22}$/);
  const served = await api.app.inject({ method: 'GET', url });
  assert.equal(served.statusCode, 200);
  assert.equal(served.headers['content-type'], 'image/png');
  assert.equal(served.headers['x-content-type-options'], 'nosniff');
  assert.deepEqual(served.rawPayload, PNG);

  const token = (await api.login(username)).access_token;
  for (const [bytes, type] of [
    [JPEG, 'image/jpeg'],
    [WEBP, 'image/webp'],
    [GIF, 'image/gif'],
  ] as const) {
    const res = await api.request('PUT', '/api/profile/', {
      headers: { authorization: `Token ${token}` },
      body: { image: `data:image/whatever;base64,${bytes.toString('base64')}` },
    });
    assert.equal(res.status, 200, type);
    assert.notEqual(res.body.image, url, 'a new upload gets a new URL');
    const img = await api.app.inject({ method: 'GET', url: res.body.image });
    assert.equal(img.headers['content-type'], type);
  }
  assert.equal((await api.app.inject({ method: 'GET', url })).statusCode, 404, 'the replaced picture is gone');

  // The same picture on every surface.
  const me = (await api.request('GET', '/api/profile/', { token })).body;
  const v1 = (await api.request('GET', `/api/v1/users/${me.id}`, { token })).body.data;
  assert.equal(v1.profile_picture_url, me.image);
  const { key } = await api.apiKey();
  assert.equal((await api.request('GET', `/v1/users/${me.id}`, { apiKey: key })).body.profile.avatar_url, me.image);

  for (const image of [
    Buffer.from('<svg onload=alert(1)>').toString('base64'),
    Buffer.from('%PDF-1.4 fake').toString('base64'),
    'not base64 at all!',
    '',
  ]) {
    const res = await api.request('PUT', '/api/profile/', { token, body: { image } });
    assert.equal(res.status, 400, image.slice(0, 20));
    assert.ok(res.body.error.details.image);
  }
  const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
  const tooBig = await api.request('PUT', '/api/profile/', { token, body: { image: big.toString('base64') } });
  assert.equal(tooBig.status, 400);
  assert.match(tooBig.body.error.details.image, /2 MB/);
  const nearLimit = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 - PNG.length - 10)]);
  assert.equal(
    (await api.request('PUT', '/api/profile/', { token, body: { image: nearLimit.toString('base64') } })).status,
    200,
    'a 2 MB picture (2.7 MB of base64) fits',
  );
  const huge = await api.request('PUT', '/api/profile/', {
    token,
    raw: JSON.stringify({ image: 'A'.repeat(3 * 1024 * 1024) }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(huge.status, 413);
  const removed = await api.request('PUT', '/api/profile/', { token, body: { image: null } });
  assert.equal(removed.body.image, null);
});

test('change_password: wrong old password 400; success ends the other sessions, keeps this one', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const other = await api.login(a.username);
  const wrong = await api.request('PUT', '/api/change_password/', {
    token: a.token,
    body: { old_password: 'Wrong12345', new_password: 'Brand-New-Lantern-5' },
  });
  assert.equal(wrong.status, 400);
  assert.ok(wrong.body.error.details.old_password);
  const weak = await api.request('PUT', '/api/change_password/', {
    token: a.token,
    body: { old_password: PASSWORD, new_password: 'weak' },
  });
  assert.equal(weak.status, 400);
  assert.ok(weak.body.error.details.new_password);
  assert.equal(
    (
      await api.request('PUT', '/api/change_password', {
        body: { old_password: PASSWORD, new_password: 'Brand-New-Lantern-5' },
      })
    ).status,
    401,
  );

  const ok = await api.request('PUT', '/api/change_password', {
    headers: { authorization: `Token ${a.token}` },
    body: { old_password: PASSWORD, new_password: 'Brand-New-Lantern-5' },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.message, 'Password changed successfully');
  assert.equal((await api.request('GET', '/api/profile/', { token: a.token })).status, 200);
  assert.equal((await api.request('GET', '/api/profile/', { token: other.access_token })).status, 401);
  assert.equal(
    (await api.request('POST', '/api/login/', { body: { username: a.username, password: PASSWORD } })).status,
    401,
  );
  assert.equal(
    (await api.request('POST', '/api/login/', { body: { username: a.username, password: 'Brand-New-Lantern-5' } }))
      .status,
    200,
  );
});

test('logout ends the token', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const out = await api.request('POST', '/api/logout/', { headers: { authorization: `Token ${a.token}` } });
  assert.equal(out.status, 200);
  assert.equal(out.body.message, 'Logged out successfully');
  assert.equal((await api.request('GET', '/api/profile/', { token: a.token })).status, 401);
  assert.equal((await api.request('POST', '/api/logout')).status, 401);
});
