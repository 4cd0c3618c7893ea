import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { ARGON2_PARAMS } from '../../src/core/security/password-hasher.js';
import { createDatabase } from '../../src/db/database.js';
import { seedUsers, seededUsername } from '../../src/cli/seed-users.js';
import { PASSWORD, build, tempDir } from '../support/helper.js';

test('ten thousand users: totals stay exact, search finds one among them, cursors walk deep', async (t) => {
  const api = await build(t);
  const n = 10_050;
  await seedUsers(api.database, { count: n, passwordHash: await hash(PASSWORD, ARGON2_PARAMS) });
  const admin = await api.admin();
  const all = await api.request('GET', '/api/v1/users?limit=1', { token: admin.token });
  assert.equal(all.body.pagination.total, n + 1);
  assert.equal(all.body.pagination.pages, n + 1);

  const one = seededUsername(7777);
  const found = await api.request('GET', `/api/v1/users?search=${one}`, { token: admin.token });
  assert.deepEqual(
    found.body.data.map((u: any) => u.username),
    [one],
  );
  const broad = await api.request('GET', '/api/v1/users?search=smith&sort=username&order=asc&limit=5', {
    token: admin.token,
  });
  assert.ok(broad.body.pagination.total > 300);
  assert.ok(broad.body.data.every((u: any) => u.username.includes('smith')));
  assert.deepEqual(
    broad.body.data.map((u: any) => u.username),
    [...broad.body.data.map((u: any) => u.username)].sort(),
  );

  // Follow cursors 30 pages deep; each page continues exactly where the last stopped.
  let cursor: string | null = null;
  let previous = '';
  for (let i = 0; i < 30; i++) {
    const res: any = await api.request(
      'GET',
      `/api/v1/users?sort=username&order=asc&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      { token: admin.token },
    );
    assert.equal(res.body.data.length, 50);
    assert.ok(res.body.data[0].username.toLowerCase() > previous);
    previous = res.body.data[49].username.toLowerCase();
    cursor = res.body.pagination.next_cursor;
  }
  const seeded = await api.request('POST', '/api/v1/auth/login', { body: { username: one, password: PASSWORD } });
  assert.equal(seeded.status, 200, 'seeded users log in like registered ones');

  // Totals are cached, but this instance's writes keep them exact at once.
  const active = (await api.request('GET', '/api/v1/users?limit=1&status=active', { token: admin.token })).body
    .pagination.total;
  const someone = await api.register();
  assert.equal(
    (await api.request('GET', '/api/v1/users?limit=1', { token: admin.token })).body.pagination.total,
    n + 2,
  );
  await api.request('PATCH', `/api/v1/users/${someone.id}`, { token: admin.token, body: { status: 'suspended' } });
  assert.equal(
    (await api.request('GET', '/api/v1/users?limit=1&status=active', { token: admin.token })).body.pagination.total,
    active,
  );
  assert.equal(
    (await api.request('GET', '/api/v1/users?limit=1&status=suspended', { token: admin.token })).body.pagination.total,
    1,
  );
  await api.request('DELETE', `/api/v1/users/${someone.id}`, { token: admin.token });
  assert.equal(
    (await api.request('GET', '/api/v1/users?limit=1', { token: admin.token })).body.pagination.total,
    n + 1,
  );
});

test('npm run seed inserts the asked number of users', async (t) => {
  const dir = tempDir('usher-seed-');
  const url = `sqlite:${join(dir, 'seed.db')}`;
  const run = spawnSync(process.execPath, ['dist/cli/seed.js', '--users', '250', '--prefix', 'x'], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /seeded 250 users/);
  const database = createDatabase(url);
  t.after(() => database.close());
  const rows = await database.db.selectFrom('users').select(['username']).orderBy('username').execute();
  assert.equal(rows.length, 250);
  assert.ok(rows.every((r) => r.username.startsWith('x')));
});
