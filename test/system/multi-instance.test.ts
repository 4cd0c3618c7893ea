import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MIGRATIONS } from '../../src/db/migrate.js';
import { PASSWORD } from '../support/helper.js';
import { deleteKeys, waitFor } from '../support/redis-helper.js';
import { type Server, call, freshSchema, startServer } from '../support/servers.js';

/**
 * The deployment the README describes, for real: two Usher processes on
 * their own ports over one PostgreSQL schema and one Redis, started at the
 * same moment on an empty database. The suite needs both servers, and does
 * not depend on the dialect, so it runs once, in the PostgreSQL pass.
 */
const { TEST_DATABASE_URL, TEST_REDIS_URL, USHER_TEST_DIALECT } = process.env;
const skip =
  !TEST_DATABASE_URL || !TEST_REDIS_URL
    ? 'needs PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL (.ci/run sets both)'
    : USHER_TEST_DIALECT === 'sqlite'
      ? 'runs in the PostgreSQL pass'
      : false;

describe('two instances over one PostgreSQL and one Redis', { skip }, () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const prefix = `usher-test:${randomBytes(6).toString('hex')}:`;
  let a: Server;
  let b: Server;
  // Each test is its own client IP (the servers trust the test as a proxy), so limits used up by one do not touch
  // another.
  let ipCounter = 0;
  const newIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

  before(async () => {
    schema = await freshSchema(TEST_DATABASE_URL!);
    const env = {
      DATABASE_URL: schema.url,
      REDIS_URL: TEST_REDIS_URL!,
      USHER_REDIS_PREFIX: prefix,
      USHER_TRUST_PROXY: '127.0.0.1',
      USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
      USHER_PASSWORD_HASH_CONCURRENCY: '2',
      USHER_ADMIN_USERNAME: 'first_admin',
      USHER_ADMIN_EMAIL: 'first_admin@example.com',
      USHER_ADMIN_PASSWORD: PASSWORD,
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await schema?.drop();
    await deleteKeys(TEST_REDIS_URL!, prefix);
  });

  test('both started at the same moment on an empty database: the schema was made once, and exactly one admin', async () => {
    for (const s of [a, b]) assert.deepEqual((await call(s.base, 'GET', '/ready')).body, { status: 'ready' });
    const migrations = await schema.query(`select name from ${schema.name}.kysely_migration order by name`);
    assert.deepEqual(
      migrations.map((r) => r.name),
      MIGRATIONS,
    );
    const admins = await schema.query(`select username from ${schema.name}.users where role = 'admin'`);
    assert.deepEqual(admins, [{ username: 'first_admin' }]);
    for (const s of [a, b]) {
      const login = await call(s.base, 'POST', '/api/v1/auth/login', {
        body: { username: 'first_admin', password: PASSWORD },
        ip: newIp(),
      });
      assert.equal(login.status, 200);
    }
  });

  test("a user created on A logs in on B, and each instance accepts the other's tokens", async () => {
    const ip = newIp();
    const created = await call(a.base, 'POST', '/api/v1/users', {
      body: { username: 'made_on_a', email: 'made_on_a@example.com', password: PASSWORD },
      ip,
    });
    assert.equal(created.status, 201);
    const login = await call(b.base, 'POST', '/api/v1/auth/login', {
      body: { username: 'made_on_a', password: PASSWORD },
      ip,
    });
    assert.equal(login.status, 200);
    const me = await call(a.base, 'GET', `/api/v1/users/${created.body.data.id}`, {
      token: login.body.access_token,
      ip,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.data.username, 'made_on_a');
    const refreshed = await call(a.base, 'POST', '/api/v1/auth/refresh', {
      body: { refresh_token: login.body.refresh_token },
      ip,
    });
    assert.equal(refreshed.status, 200);
    assert.equal(
      (await call(b.base, 'GET', `/api/v1/users/${created.body.data.id}`, { token: refreshed.body.access_token, ip }))
        .status,
      200,
    );
  });

  test('logout on A is refused on B', async () => {
    const ip = newIp();
    const created = await call(b.base, 'POST', '/api/v1/users', {
      body: { username: 'leaves_on_a', email: 'leaves_on_a@example.com', password: PASSWORD },
      ip,
    });
    const tokens = (
      await call(b.base, 'POST', '/api/v1/auth/login', { body: { username: 'leaves_on_a', password: PASSWORD }, ip })
    ).body;
    const me = `/api/v1/users/${created.body.data.id}`;
    assert.equal(
      (await call(b.base, 'GET', me, { token: tokens.access_token, ip })).status,
      200,
      'B has the session in its cache',
    );
    assert.equal((await call(a.base, 'POST', '/api/v1/auth/logout', { token: tokens.access_token, ip })).status, 200);
    assert.equal(
      (await call(b.base, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token }, ip }))
        .status,
      401,
    );
    // The event crosses processes through Redis, so B's refusal is waited for, not assumed on the very next
    // packet; the 1 s bound itself is tested with a frozen clock in redis-app.test.ts.
    await waitFor(
      'B to refuse the ended session',
      async () => (await call(b.base, 'GET', me, { token: tokens.access_token, ip })).status === 401,
    );
    assert.equal((await call(a.base, 'GET', me, { token: tokens.access_token, ip })).status, 401);
  });

  test('the anonymous limit is shared: 20 per minute across both', async () => {
    const ip = newIp();
    const remaining = [];
    for (let i = 0; i < 20; i++) {
      const res = await call(i % 2 === 0 ? a.base : b.base, 'GET', '/api/v1/users/nobody', { ip });
      assert.equal(res.status, 401);
      remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(
      remaining,
      Array.from({ length: 20 }, (_, i) => 19 - i),
    );
    for (const s of [a, b]) {
      const refused = await call(s.base, 'GET', '/api/v1/users/nobody', { ip });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('x-ratelimit-limit'), '20');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    }
    assert.equal(
      (await call(b.base, 'GET', '/api/v1/users/nobody', { ip: newIp() })).status,
      401,
      'another client has its own count',
    );
  });

  test('20 concurrent registrations of one username, split across A and B: one 201, nineteen 409', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) =>
      call(i % 2 === 0 ? a.base : b.base, 'POST', '/api/v1/users', {
        body: { username: 'only_one', email: `only_one_${i}@example.com`, password: PASSWORD },
        ip: newIp(),
      }),
    );
    const replies = await Promise.all(attempts);
    const statuses = replies.map((r) => r.status).sort();
    assert.deepEqual(
      statuses,
      [201, ...Array(19).fill(409)],
      JSON.stringify(replies.filter((r) => r.status !== 409 && r.status !== 201).map((r) => r.body)),
    );
    for (const r of replies.filter((r) => r.status === 409)) assert.equal(r.body.error.code, 'DUPLICATE_RESOURCE');
    assert.deepEqual(
      await schema.query(`select count(*)::int as n from ${schema.name}.users where username = 'only_one'`),
      [{ n: 1 }],
    );
  });
});
