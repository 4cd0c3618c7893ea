import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqlite } from '../../src/db/sqlite-driver.js';
import { hashSecret } from '../../src/core/security/secrets.js';
import { PASSWORD, build, tempDir, unique } from '../support/helper.js';
import { call, startServer } from '../support/servers.js';

/**
 * Nothing lost: races settle on the unique indexes and single-statement consumes; a killed server keeps every
 * acknowledged write.
 */

test('50 parallel registrations of one username: exactly one 201 and 49 409s, no 5xx', async (t) => {
  const api = await build(t);
  const username = unique();
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      api.request('POST', '/api/v1/users', {
        body: { username, email: `${username}_${i}@example.com`, password: PASSWORD },
      }),
    ),
  );
  const statuses = answers.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, ...Array<number>(49).fill(409)]);
  for (const r of answers.filter((a) => a.status === 409)) assert.equal(r.body.error.code, 'DUPLICATE_RESOURCE');
});

test('parallel refreshes of one refresh token: one rotation, and every answer (the reuse grace window) is its successor', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } }),
    ),
  );
  assert.deepEqual(
    answers.map((r) => r.status),
    answers.map(() => 200),
  );
  assert.equal(new Set(answers.map((r) => r.body.refresh_token)).size, 1, 'one successor');
  const rows = await api.database.db.selectFrom('refresh_tokens').select('used_at').execute();
  assert.deepEqual(
    rows.map((r) => r.used_at === null).sort(),
    [false, true],
    'the token used up, one successor stored',
  );
});

test('refreshes arriving together (one statement on PostgreSQL) each rotate their own token; a twin among them wins once', async (t) => {
  const api = await build(t);
  const users = await Promise.all(Array.from({ length: 12 }, () => api.user()));
  const [twin, ...others] = users;
  const answers = await Promise.all(
    [twin!, twin!, ...others].map((u) =>
      api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refresh } }),
    ),
  );
  const [a, b] = answers;
  assert.deepEqual([a!.status, b!.status], [200, 200]);
  assert.equal(
    a!.body.refresh_token,
    b!.body.refresh_token,
    'one token, one rotation: the twin gets the same successor',
  );
  const rest = answers.slice(2);
  assert.deepEqual(
    rest.map((r) => r.status),
    others.map(() => 200),
  );
  const rows = await api.database.db.selectFrom('refresh_tokens').select(['token_hash', 'used_at']).execute();
  const used = new Map(rows.map((r) => [r.token_hash, r.used_at !== null]));
  others.forEach((u, i) => {
    assert.equal(used.get(hashSecret(u.refresh)), true, 'the old token is used up');
    assert.equal(used.get(hashSecret(rest[i]!.body.refresh_token)), false, 'the next one is stored, unused');
  });
  const again = await Promise.all(
    rest.map((r) => api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: r.body.refresh_token } })),
  );
  assert.deepEqual(
    again.map((r) => r.status),
    others.map(() => 200),
    'each chain goes on',
  );
});

test('kill -9 during a write load loses no acknowledged write; the restart needs no manual step', {
  skip: process.env.USHER_TEST_DIALECT === 'postgres' && 'the embedded database is the one a crash of Usher can hurt',
}, async (t) => {
  const dir = tempDir('usher-crash-');
  const env = { DATABASE_URL: `sqlite:${join(dir, 'usher.db')}`, USHER_RATE_LIMIT: 'off', USHER_REAUTH_WINDOW: '3600' };
  const server = await startServer(env);
  const writers = [];
  for (let i = 0; i < 4; i++) {
    const username = `crash_${i}_${unique()}`;
    await call(server.base, 'POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD },
    });
    const login = await call(server.base, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
    writers.push({ username, token: login.body.access_token as string, acked: 0 });
  }
  const id = async (w: { token: string }, base: string) =>
    (await call(base, 'GET', '/api/profile/', { token: w.token })).body.id as string;
  const ids = await Promise.all(writers.map((w) => id(w, server.base)));
  let stop = false;
  const load = writers.map(async (w, i) => {
    for (let n = 1; !stop; n++) {
      try {
        const res = await call(server.base, 'PATCH', `/api/v1/users/${ids[i]}`, {
          token: w.token,
          body: { bio: String(n) },
        });
        if (res.status === 200) w.acked = n;
      } catch {
        return; // the connection died with the server
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  server.child.kill('SIGKILL');
  stop = true;
  await Promise.all(load);
  assert.ok(
    writers.every((w) => w.acked > 0),
    'every writer had writes acknowledged',
  );

  const again = await startServer(env);
  t.after(() => again.stop());
  for (const [i, w] of writers.entries()) {
    const user = await call(again.base, 'GET', `/api/v1/users/${ids[i]}`, { token: w.token });
    assert.equal(user.status, 200);
    assert.ok(
      Number(user.body.data.bio) >= w.acked,
      `writer ${i}: acknowledged ${w.acked}, found ${user.body.data.bio}`,
    );
  }
});

test('kill -9 during a refresh load loses no acknowledged rotation: each answered refresh used up its token and stored the next', {
  skip: process.env.USHER_TEST_DIALECT === 'postgres' && 'the embedded database is the one a crash of Usher can hurt',
}, async (t) => {
  const dir = tempDir('usher-crash-');
  const file = join(dir, 'usher.db');
  const server = await startServer({ DATABASE_URL: `sqlite:${file}`, USHER_RATE_LIMIT: 'off' });
  // Eight clients, each following its own rotation chain; refreshes arriving together share a commit.
  const chains = [];
  for (let i = 0; i < 8; i++) {
    const username = `rot_${i}_${unique()}`;
    await call(server.base, 'POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD },
    });
    const login = await call(server.base, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
    chains.push({ previous: '', current: login.body.refresh_token as string, answered: 0 });
  }
  let stop = false;
  const load = chains.map(async (c) => {
    while (!stop) {
      try {
        const res = await call(server.base, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: c.current } });
        assert.equal(res.status, 200);
        c.previous = c.current;
        c.current = res.body.refresh_token as string;
        c.answered++;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        return; // the connection died with the server
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  server.child.kill('SIGKILL');
  stop = true;
  await Promise.all(load);
  assert.ok(
    chains.every((c) => c.answered > 0),
    'every client had refreshes answered',
  );

  // Database out: the last answered rotation of every chain is on disk.
  const db = openSqlite(file, { readonly: true });
  t.after(() => db.close());
  const row = db.prepare('select used_at from refresh_tokens where token_hash = ?');
  for (const [i, c] of chains.entries()) {
    const spent = row.get(hashSecret(c.previous)) as { used_at: string | null } | undefined;
    assert.ok(spent?.used_at, `chain ${i}: the token its last answered refresh used up is marked used`);
    assert.ok(row.get(hashSecret(c.current)), `chain ${i}: the token that refresh answered with is stored`);
  }
});
