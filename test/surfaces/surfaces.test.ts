import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, unique } from '../support/helper.js';

/**
 * One shape for every surface: the same checks of list queries, the same refusal of unknown parameters, statuses kept.
 */

test('an unknown query parameter is 400 VALIDATION_ERROR naming it, on every surface', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey();
  const a = await api.user();
  const calls: Array<
    [string, { token?: string; apiKey?: string; headers?: Record<string, string> }, (b: any) => unknown]
  > = [
    ['/api/v1/users?search_term=alice', { token: admin.token }, (b) => b.error.details.search_term],
    [`/api/v1/users/${a.id}?expand=all`, { token: a.token }, (b) => b.error.details.expand],
    ['/v1/users?filter=alice', { apiKey: key }, (b) => b.error.details.find((d: any) => d.field === 'filter')?.message],
    [`/api/users/profiles/${a.id}?x=1`, { token: a.token }, (b) => b.error.details.x],
    ['/api/profile/?fields=email', { headers: { authorization: `Token ${a.token}` } }, (b) => b.error.details.fields],
  ];
  for (const [url, auth, named] of calls) {
    const res = await api.request('GET', url, auth);
    assert.equal(res.status, 400, `${url}: ${res.raw}`);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.equal(named(res.body), 'Unknown query parameter', url);
  }
});

test('GET /v1/users?search= filters as on /api/v1 (it used to be ignored)', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const tag = unique('srch').slice(-8);
  const match = await api.register({ first_name: `Needle${tag}` });
  await api.register();
  const v1 = await api.request('GET', `/v1/users?search=needle${tag}`, { apiKey: key });
  assert.equal(v1.status, 200);
  assert.deepEqual(
    v1.body.users.map((u: any) => u.id),
    [match.id],
  );
  assert.equal(v1.body.total, 1);
  assert.equal((await api.request('GET', `/v1/users?search=${'x'.repeat(101)}`, { apiKey: key })).status, 400);
});

test('page or offset with a cursor, and bad cursors, are 400 on every surface that lists', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey();
  for (let i = 0; i < 3; i++) await api.register();
  const v1Cursor = (await api.request('GET', '/v1/users?limit=1', { apiKey: key })).body.next_cursor;
  const apiCursor = (await api.request('GET', '/api/v1/users?limit=1', { token: admin.token })).body.pagination
    .next_cursor;
  assert.ok(v1Cursor && apiCursor);
  const refused: Array<[string, { token?: string; apiKey?: string }]> = [
    [`/v1/users?limit=1&offset=2&cursor=${v1Cursor}`, { apiKey: key }],
    [`/v1/users?limit=1&offset=0&cursor=${v1Cursor}`, { apiKey: key }],
    ['/v1/users?cursor=garbage', { apiKey: key }],
    [`/api/v1/users?limit=1&page=2&cursor=${apiCursor}`, { token: admin.token }],
    ['/api/v1/users?cursor=garbage', { token: admin.token }],
  ];
  for (const [url, auth] of refused) {
    const res = await api.request('GET', url, auth);
    assert.equal(res.status, 400, `${url}: ${res.raw}`);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
  }
  // A cursor alone continues the list on both.
  assert.equal((await api.request('GET', `/v1/users?limit=1&cursor=${v1Cursor}`, { apiKey: key })).status, 200);
  assert.equal(
    (await api.request('GET', `/api/v1/users?limit=1&cursor=${apiCursor}`, { token: admin.token })).status,
    200,
  );
});

test('an error with a status the catalogue does not know keeps its status, with a generic code', async (t) => {
  const api = await build(t);
  api.app.get('/api/v1/teapot', { schema: { hide: true } }, async () => {
    throw Object.assign(new Error('short and stout'), { statusCode: 418 });
  });
  api.app.get('/api/v1/gone', { schema: { hide: true } }, async () => {
    throw Object.assign(new Error('gone'), { statusCode: 410 });
  });
  const teapot = await api.request('GET', '/api/v1/teapot');
  assert.equal(teapot.status, 418);
  assert.equal(teapot.body.error.code, 'REQUEST_FAILED');
  assert.doesNotMatch(teapot.raw, /short and stout/, 'the cause stays in the log');
  const gone = await api.request('GET', '/api/v1/gone');
  assert.equal(gone.status, 410);
  assert.equal(gone.body.error.code, 'REQUEST_FAILED');
  // A known status still maps to its code.
  assert.equal((await api.request('GET', '/api/v1/users')).body.error.code, 'AUTHENTICATION_REQUIRED');
});

test('/v1 logout counts against the authenticated limit, not the login limit', async (t) => {
  const api = await build(t, {
    USHER_RATE_LIMIT: 'on',
    USHER_RATE_LIMIT_LOGIN_PER_MIN: '3',
    USHER_RATE_LIMIT_AUTH_PER_MIN: '1000',
    USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
    USHER_RATE_LIMIT_ANON_PER_MIN: '1000',
  });
  const { key } = await api.apiKey();
  const tokens = [];
  for (let i = 0; i < 2; i++) tokens.push((await api.user()).token);
  // The admin's login and the two users' spent the address's login limit of 3; logouts still work.
  for (const token of tokens) {
    const res = await api.request('POST', '/v1/auth/logout', {
      apiKey: key,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200, res.raw);
  }
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 'x_y_z', password: 'Whatever-1' } })).status,
    429,
  );
});
