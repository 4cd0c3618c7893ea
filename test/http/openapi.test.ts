import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';

/** The OpenAPI document says what the server does (issue 14, first part). */

test('every operation has a unique, stable operationId; defaults are not required; optional bodies are optional; registration takes an optional credential', async (t) => {
  const api = await build(t);
  const doc = (await api.request('GET', '/openapi.json')).body;
  assert.equal(doc.info.license.name, 'MIT');
  assert.ok(Array.isArray(doc.servers) && doc.servers.length > 0);
  const ids: string[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      assert.ok(op.operationId, `${method} ${path}`);
      ids.push(op.operationId);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  assert.equal(doc.paths['/api/v1/users/{id}'].get.operationId, 'getApiV1UsersId');

  const param = (path: string, name: string) => doc.paths[path].get.parameters.find((p: any) => p.name === name);
  for (const name of ['limit', 'sort', 'order', 'page', 'cursor'])
    assert.equal(param('/api/v1/users', name).required, false, `/api/v1/users ${name}`);
  for (const name of ['limit', 'offset']) assert.equal(param('/v1/users', name).required, false, `/v1/users ${name}`);
  assert.equal(param('/api/v1/users', 'limit').schema.default, 20);

  assert.equal(doc.paths['/api/v1/auth/logout'].post.requestBody.required, false);
  assert.equal(doc.paths['/api/v1/users/{id}'].patch.requestBody.required, false);
  assert.equal(doc.paths['/api/v1/users'].post.requestBody.required, true);
  assert.deepEqual(doc.paths['/api/v1/users'].post.security[0], {}, 'anonymous registration, or with a credential');

  // The defaults still apply: a list without limit gets 20.
  const admin = await api.admin();
  assert.equal((await api.request('GET', '/api/v1/users', { token: admin.token })).body.pagination.limit, 20);
});

test('413, 415 and 429 are documented where they can happen, with the response headers; the document and the slash-less account paths are listed', async (t) => {
  const api = await build(t);
  const doc = (await api.request('GET', '/openapi.json')).body;
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (op.requestBody) for (const code of ['413', '415']) assert.ok(op.responses[code], `${method} ${path} ${code}`);
      if (path !== '/health' && path !== '/ready') {
        assert.ok(op.responses['429'], `${method} ${path} 429`);
        assert.ok(op.responses['429'].headers['Retry-After'], `${method} ${path} Retry-After`);
      }
      for (const response of Object.values<any>(op.responses))
        assert.ok(response.headers?.['X-Request-Id'], `${method} ${path} X-Request-Id`);
    }
  }
  assert.ok(doc.paths['/openapi.json']?.get);
  for (const path of ['/api/register', '/api/login', '/api/profile', '/api/change_password', '/api/logout'])
    assert.ok(doc.paths[path], path);
  // The 413 body is the surface's own envelope.
  assert.deepEqual(
    doc.paths['/v1/users'].post.responses['413'].content,
    doc.paths['/v1/users'].post.responses['400'].content,
  );
});

test('pictures are documented as images with 400 and 404; user reads and writes answer an ETag header', async (t) => {
  const api = await build(t);
  const doc = (await api.request('GET', '/openapi.json')).body;
  const picture = doc.paths['/pictures/{id}'].get.responses;
  assert.deepEqual(Object.keys(picture['200'].content).sort(), ['image/gif', 'image/jpeg', 'image/png', 'image/webp']);
  assert.ok(picture['400'] && picture['404']);
  for (const [path, method] of [
    ['/api/v1/users/{id}', 'get'],
    ['/api/v1/users/{id}', 'patch'],
    ['/v1/users/{id}', 'put'],
    ['/api/users/profiles/{user_id}', 'get'],
    ['/api/profile/', 'get'],
  ]) {
    assert.ok(doc.paths[path!][method!].responses['200'].headers.ETag, `${method} ${path}`);
  }
});
