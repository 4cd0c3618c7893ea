import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

/** Issue 15: no single request can hold the event loop, and nothing served lives on after it is deleted. */

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

test('the phone number that took two minutes is refused at once on every path that takes a phone', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.user();
  const phone = `${'1'.repeat(31)}x`;
  const username = unique();
  const answers = [
    await api.request('POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD, phone_number: phone },
    }),
    await api.request('PATCH', `/api/v1/users/${a.id}`, {
      token: a.token,
      body: { phone_number: `${'1'.repeat(5000)}x` },
    }),
    await api.request('POST', '/v1/users', {
      apiKey: key,
      body: { username, email: `${username}@example.com`, password: PASSWORD, profile: { phone } },
    }),
    await api.request('PUT', `/v1/users/${a.id}`, { apiKey: key, body: { profile: { phone } } }),
  ];
  for (const res of answers) {
    assert.ok(res.status === 400 || res.status === 422, res.raw);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
  }
  assert.equal((await api.request('GET', '/health')).status, 200);
});

test('JSON nested deeper than 32 levels is 400 in each surface envelope, before it is parsed', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const json = { 'content-type': 'application/json' };
  // 3 MB of `[` on the route with the largest body limit, and 1 MB on the others.
  const routes: Array<[string, string, Record<string, string>, number]> = [
    ['POST', '/api/register/', {}, 3 * 1024 * 1024 - 16],
    ['POST', '/api/v1/users', {}, 1024 * 1024 - 16],
    ['POST', '/api/users/profiles', { authorization: `Bearer ${admin.token}` }, 1000],
    ['POST', '/api/v1/auth/login', {}, 40],
  ];
  for (const [method, url, headers, size] of routes) {
    const res = await api.request(method as 'POST', url, { raw: '['.repeat(size), headers: { ...headers, ...json } });
    assert.equal(res.status, 400, url);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.match(res.body.error.message, /nested deeper than 32/);
  }
  // Depth 32 is still parsed (and then refused for its content); brackets inside strings do not count.
  const deep32 = `${'{"a":'.repeat(31)}{}${'}'.repeat(31)}`;
  assert.equal(
    (await api.request('POST', '/api/v1/users', { raw: deep32, headers: json })).body.error.details.a,
    'Unknown field',
  );
  const username = unique();
  const bracesInText = { username, email: `${username}@example.com`, password: PASSWORD, bio: '[{'.repeat(100) };
  assert.equal((await api.request('POST', '/api/v1/users', { body: bracesInText })).status, 201);
  assert.equal(
    (await api.request('POST', '/api/v1/users', { raw: '{"__proto__":{"x":1}}', headers: json })).status,
    400,
    'prototype keys still refused',
  );
});

test('one- and two-character searches match prefixes of username, email, first or last name', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const tag = unique('q').slice(-4);
  const byUsername = await api.register({ username: `qz${tag}_one` });
  const byEmail = await api.register({ email: `qzmail${tag}@example.com` });
  const byFirst = await api.register({ first_name: 'Qzara' });
  const byLast = await api.register({ last_name: 'qZimmer' });
  const inside = await api.register({ first_name: 'Anqz' });
  const find = async (term: string, extra = '') =>
    (
      await api.request('GET', `/api/v1/users?search=${encodeURIComponent(term)}&sort=username&order=asc${extra}`, {
        token: admin.token,
      })
    ).body;
  const qz = await find('QZ');
  assert.deepEqual(new Set(qz.data.map((u: any) => u.id)), new Set([byUsername.id, byEmail.id, byFirst.id, byLast.id]));
  assert.equal(qz.pagination.total, 4);
  assert.ok(!qz.data.some((u: any) => u.id === inside.id), 'not a substring in the middle');
  // Cursor paging and filters work the same for prefixes.
  const page1 = await find('qz', '&limit=3');
  const page2 = await find('qz', `&limit=3&cursor=${page1.pagination.next_cursor}`);
  assert.equal(page1.data.length + page2.data.length, 4);
  assert.equal((await find('q', '&status=suspended')).pagination.total, 0);
  // /v1 and its filter semantics are the same core call.
  await api.request('PATCH', `/api/v1/users/${byFirst.id}`, { token: admin.token, body: { first_name: 'Renamed' } });
  assert.equal((await find('qz')).pagination.total, 3, 'totals follow the write');
  await api.request('DELETE', `/api/v1/users/${byLast.id}`, { token: admin.token });
  assert.equal((await find('qz')).pagination.total, 2);
});

test('pictures are cached for minutes, not a year, and a replaced or deleted picture is 404 at once', async (t) => {
  const api = await build(t);
  const username = unique();
  const reg = await api.request('POST', '/api/register/', {
    body: { username, password: PASSWORD, email: `${username}@example.com`, image: PNG.toString('base64') },
  });
  const first: string = reg.body.user.image;
  const served = await api.request('GET', first);
  assert.equal(served.status, 200);
  const maxAge = Number(/max-age=(\d+)/.exec(String(served.headers['cache-control']))?.[1]);
  assert.ok(maxAge > 0 && maxAge <= 3600, String(served.headers['cache-control']));
  assert.doesNotMatch(String(served.headers['cache-control']), /immutable/);
  const { access_token: token } = await api.login(username);
  const replaced = await api.request('PUT', '/api/profile/', {
    headers: { authorization: `Token ${token}` },
    body: { image: PNG.toString('base64') },
  });
  assert.notEqual(replaced.body.image, first);
  assert.equal((await api.request('GET', first)).status, 404);
  assert.equal((await api.request('GET', replaced.body.image)).status, 200);
  assert.equal((await api.request('DELETE', `/api/v1/users/${reg.body.user.id}`, { token })).status, 204);
  assert.equal((await api.request('GET', replaced.body.image)).status, 404);
});
