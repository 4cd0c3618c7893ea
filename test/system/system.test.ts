import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, build, freshDatabaseUrl, tempDir } from '../support/helper.js';
import { closedPort } from '../support/redis-helper.js';

test('GET /health is 200; GET /ready is 200 while the database answers and 503 once it does not', async (t) => {
  const api = await build(t);
  assert.deepEqual((await api.request('GET', '/health')).body, { status: 'ok' });
  assert.equal((await api.request('GET', '/ready')).status, 200);

  const database = createDatabase(await freshDatabaseUrl(t));
  const app = await buildApp(loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }), { database });
  t.after(() => app.close());
  await database.close();
  const res = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(res.statusCode, 503);
});

test('GET /openapi.json is an OpenAPI 3.1 document generated from the route schemas', async (t) => {
  const api = await build(t);
  const res = await api.request('GET', '/openapi.json');
  assert.equal(res.status, 200);
  const doc = res.body;
  assert.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/api/v1/users',
    '/api/v1/users/{id}',
    '/api/v1/auth/login',
    '/api/v1/auth/refresh',
    '/api/v1/auth/logout',
  ]) {
    assert.ok(doc.paths[path], path);
  }
  assert.equal(
    doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.$ref,
    '#/components/schemas/ApiV1CreateUser',
  );
  assert.ok(doc.components.schemas.ApiV1CreateUser.properties.username);
  assert.ok(doc.paths['/api/v1/users/{id}'].get.responses['404']);
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'bearer', 'token']);
});

test('the admin from USHER_ADMIN_* is created once, active, and never duplicated on restart', async () => {
  const dir = tempDir('usher-');
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'u.db')}`,
    LOG_LEVEL: 'silent',
    USHER_ADMIN_USERNAME: 'boss',
    USHER_ADMIN_EMAIL: 'boss@example.com',
    USHER_ADMIN_PASSWORD: PASSWORD,
  };
  for (let i = 0; i < 2; i++) {
    const app = await buildApp(loadConfig(env));
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'boss', password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${login.json().access_token}` },
    });
    assert.equal(list.json().pagination.total, 1);
    assert.equal(list.json().data[0].role, 'admin');
    assert.equal(list.json().data[0].status, 'active');
    await app.close();
  }
  // Tokens survive a restart: the signing key lives in the database.
  const first = await buildApp(loadConfig(env));
  const token = (
    await first.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'boss', password: PASSWORD } })
  ).json().access_token;
  await first.close();
  const second = await buildApp(loadConfig(env));
  const me = await second.inject({
    method: 'GET',
    url: '/api/v1/users',
    headers: { authorization: `Bearer ${token}` },
  });
  await second.close();
  assert.equal(me.statusCode, 200);
});

test('no default accounts: without USHER_ADMIN_* there are no users', async (t) => {
  const api = await build(t, { USHER_ADMIN_USERNAME: '', USHER_ADMIN_EMAIL: '', USHER_ADMIN_PASSWORD: '' });
  const login = await api.request('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'admin' } });
  assert.equal(login.status, 401);
});

async function startServer(t: import('node:test').TestContext, env: Record<string, string>) {
  const port = await closedPort();
  const child: ChildProcess = spawn(process.execPath, ['dist/server.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  t.after(() => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { base, child, output: () => output };
}

test('a real listening server: register, log in, read; logs are JSON with request ids and no secrets; SIGTERM drains and exits 0', async (t) => {
  const dir = tempDir('usher-');
  const server = await startServer(t, { DATABASE_URL: `sqlite:${join(dir, 'usher.db')}`, USHER_RATE_LIMIT: 'off' });
  const json = { 'content-type': 'application/json' };
  const secretPassword = 'Sup3rSecretPassw0rd';
  const created = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'real_user', email: 'real@example.com', password: secretPassword }),
  });
  assert.equal(created.status, 201);
  const tokens = (await (
    await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'real_user', password: secretPassword }),
    })
  ).json()) as { access_token: string; refresh_token: string };
  const me = await fetch(`${server.base}/api/v1/users/${((await created.json()) as any).data.id}`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(me.status, 200);

  // Requests in flight when SIGTERM arrives still get their answers. To know
  // they are in flight, each asks for "100 Continue": the server answers once
  // it has read the headers and started the request. Only then comes SIGTERM,
  // and only once the server says it is shutting down do the bodies follow.
  const login = JSON.stringify({ username: 'real_user', password: secretPassword });
  const started: Array<Promise<void>> = [];
  const inflight = Array.from({ length: 4 }, () => {
    const req = request(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      agent: false,
      headers: { ...json, expect: '100-continue', 'content-length': Buffer.byteLength(login) },
    });
    started.push(once(req, 'continue').then(() => undefined));
    return {
      req,
      status: new Promise<number | string>((resolve) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
      }),
    };
  });
  for (const { req } of inflight) req.flushHeaders();
  await Promise.all(started);
  server.child.kill('SIGTERM');
  while (!server.output().includes('shutting down')) await new Promise((r) => setTimeout(r, 10));
  for (const { req } of inflight) req.end(login);
  const [code] = await once(server.child, 'exit');
  const statuses = await Promise.all(inflight.map((i) => i.status));
  assert.deepEqual(statuses, [200, 200, 200, 200], server.output().slice(-3000));
  assert.equal(code, 0, server.output().slice(-3000));

  // A connection made after shutdown began is refused.
  await assert.rejects(fetch(`${server.base}/health`));

  const lines = server.output().trim().split('\n');
  const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  assert.ok(requests.length >= 3);
  for (const line of requests) assert.equal(typeof line.reqId, 'string');
  const log = server.output();
  for (const secret of [secretPassword, tokens.access_token, tokens.refresh_token, '$argon2id$'])
    assert.ok(!log.includes(secret), `log leaks ${secret.slice(0, 12)}`);
});

test('a bad configuration value stops the server with a message naming the variable', async () => {
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: { ...process.env, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(err, /Invalid configuration: PORT must be a whole number, got "eighty"/);
  for (const [name, value] of [
    ['USHER_ACCESS_TOKEN_TTL', '-5'],
    ['DATABASE_URL', 'mysql://x'],
    ['USHER_RATE_LIMIT', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'localhost'],
    ['USHER_RATE_LIMIT_LOGIN_PER_MIN', '0'],
  ] as const) {
    assert.throws(() => loadConfig({ [name]: value }), new RegExp(`Invalid configuration: ${name}`), name);
  }
  assert.throws(() => loadConfig({ USHER_ADMIN_USERNAME: 'x' }), /USHER_ADMIN_EMAIL/);
  assert.throws(() => loadConfig({ USHER_JWT_SECRET: 'short' }), /USHER_JWT_SECRET/);
});
