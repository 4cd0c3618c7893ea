import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';

test('one user everywhere: registered on any surface, it logs in on every surface and is read on every other', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const admin = await api.admin();
  const register: Record<string, (u: string) => Promise<string>> = {
    'api/v1': async (u) =>
      (
        await api.request('POST', '/api/v1/users', {
          body: { username: u, email: `${u}@example.com`, password: PASSWORD },
        })
      ).body.data.id,
    v1: async (u) =>
      (
        await api.request('POST', '/v1/users', {
          apiKey: key,
          body: { username: u, email: `${u}@example.com`, password: PASSWORD, status: 'active' },
        })
      ).body.id,
    account: async (u) =>
      (
        await api.request('POST', '/api/register/', {
          body: { username: u, email: `${u}@example.com`, password: PASSWORD },
        })
      ).body.user.id,
  };
  const logins: Record<string, (u: string) => Promise<string>> = {
    'api/v1': async (u) =>
      (await api.request('POST', '/api/v1/auth/login', { body: { email: `${u}@example.com`, password: PASSWORD } }))
        .body.access_token,
    v1: async (u) =>
      (await api.request('POST', '/v1/auth/login', { apiKey: key, body: { username: u, password: PASSWORD } })).body
        .access_token,
    account: async (u) =>
      (await api.request('POST', '/api/login/', { body: { username: u, password: PASSWORD } })).body.token,
  };
  for (const [where, create] of Object.entries(register)) {
    const username = unique(where.replace('/', ''));
    const id = await create(username);
    assert.ok(id, where);
    for (const [how, login] of Object.entries(logins)) {
      const token = await login(username);
      assert.ok(token, `${where} -> login on ${how}`);
      assert.equal((await api.request('GET', `/api/v1/users/${id}`, { token })).body.data.username, username);
      assert.equal(
        (await api.request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } })).body.id,
        id,
      );
      assert.equal((await api.request('GET', `/api/users/profiles/${id}`, { token })).body.username, username);
    }
    assert.equal((await api.request('GET', `/v1/users/${id}`, { apiKey: key })).body.username, username);
    assert.equal((await api.request('GET', `/api/users/profiles/${id}`, { token: admin.token })).body.id, id);
  }
});

test('logout anywhere ends the token everywhere', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.register();
  const logouts: Array<[string, (token: string) => Promise<number>]> = [
    ['api/v1', async (token) => (await api.request('POST', '/api/v1/auth/logout', { token })).status],
    [
      'v1',
      async (token) =>
        (await api.request('POST', '/v1/auth/logout', { apiKey: key, headers: { authorization: `Bearer ${token}` } }))
          .status,
    ],
    [
      'account',
      async (token) =>
        (await api.request('POST', '/api/logout/', { headers: { authorization: `Token ${token}` } })).status,
    ],
  ];
  for (const [where, logout] of logouts) {
    const token = (await api.login(a.username)).access_token;
    assert.equal(await logout(token), 200, where);
    assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token })).status, 401, `${where}: /api/v1`);
    assert.equal((await api.request('GET', '/api/profile/', { token })).status, 401, `${where}: account`);
    assert.equal(
      (await api.request('GET', `/api/users/profiles/${a.id}`, { token })).status,
      401,
      `${where}: profiles`,
    );
  }
});

test('a deletion on one surface is a deletion on all', async (t) => {
  const api = await build(t);
  const { key } = await api.apiKey();
  const a = await api.user();
  assert.equal((await api.request('DELETE', `/api/users/profiles/${a.id}`, { token: a.token })).status, 204);
  assert.equal((await api.request('GET', `/v1/users/${a.id}`, { apiKey: key })).status, 404);
  assert.equal(
    (await api.request('POST', '/api/login/', { body: { username: a.username, password: PASSWORD } })).status,
    401,
  );
});

test('the OpenAPI document covers every surface, tagged, with bearer, token and API key schemes', async (t) => {
  const api = await build(t);
  const doc = (await api.request('GET', '/openapi.json')).body;
  for (const path of [
    '/api/v1/users',
    '/api/v1/api-keys',
    '/api/v1/api-keys/{id}',
    '/v1/users',
    '/v1/users/{id}',
    '/v1/auth/login',
    '/v1/auth/logout',
    '/api/users/profiles',
    '/api/users/profiles/{user_id}',
    '/api/register/',
    '/api/login/',
    '/api/profile/',
    '/api/change_password/',
    '/api/logout/',
  ]) {
    assert.ok(doc.paths[path], path);
  }
  const tags = new Set(
    Object.values(doc.paths).flatMap((p: any) => Object.values(p).flatMap((op: any) => op.tags ?? [])),
  );
  for (const tag of ['api/v1', 'v1 (API key)', 'profiles', 'account']) assert.ok(tags.has(tag), tag);
  assert.deepEqual(doc.paths['/v1/users'].get.security, [{ apiKey: [] }]);
  assert.ok(doc.paths['/api/profile/'].get.security.some((s: any) => 'token' in s));
});
