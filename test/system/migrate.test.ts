import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createCore, ensureAdmin } from '../../src/core/core.js';
import { createDatabase } from '../../src/db/database.js';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { createStorage } from '../../src/storage/storage.js';
import { PASSWORD, freshDatabaseUrl, tempDir } from '../support/helper.js';
import { closedPort } from '../support/redis-helper.js';

const postgres = process.env.USHER_TEST_DIALECT === 'postgres';

/** Runs `npm run migrate`'s command with DATABASE_URL set. */
async function migrate(databaseUrl: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['dist/cli/migrate.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out, err };
}

async function emptyDatabaseUrl(t: TestContext): Promise<string> {
  if (postgres) return freshDatabaseUrl(t);
  const dir = tempDir('usher-migrate-');
  return `sqlite:${join(dir, 'usher.db')}`;
}

test('npm run migrate: applies the migrations and exits 0, then has nothing to do; the server starts on the result', async (t) => {
  const url = await emptyDatabaseUrl(t);
  const first = await migrate(url);
  assert.equal(first.code, 0, first.err);
  assert.ok(first.out.endsWith(`: applied ${MIGRATIONS.join(', ')}\n`), first.out);
  const second = await migrate(url);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /: already up to date\n$/);

  const database = createDatabase(url);
  t.after(() => database.close());
  assert.deepEqual(await migrateToLatest(database.db), [], 'nothing left for a starting server');
  assert.deepEqual(await database.db.selectFrom('users').select('id').execute(), []);
});

test('npm run migrate: a database it cannot reach is exit 1 with the reason, and no password in the message', async () => {
  const url = `postgres://usher:hunter22@127.0.0.1:${await closedPort()}/usher`;
  const run = await migrate(url);
  assert.equal(run.code, 1);
  assert.match(run.err, /^Migration of postgres:\/\/usher@127\.0\.0\.1:\d+\/usher failed: connect ECONNREFUSED/);
  assert.ok(!run.err.includes('hunter22'));
  const bad = await migrate('mysql://x');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /Invalid configuration: DATABASE_URL/);
});

test('five instances migrating and starting at once on an empty database: one schema, one signing key, one admin', {
  skip: !postgres && "PostgreSQL only: SQLite is one machine's database",
}, async (t) => {
  const url = await freshDatabaseUrl(t);
  const config = loadConfig({
    DATABASE_URL: url,
    USHER_ADMIN_USERNAME: 'boss',
    USHER_ADMIN_EMAIL: 'boss@example.com',
    USHER_ADMIN_PASSWORD: PASSWORD,
    USHER_PASSWORD_HASH_CONCURRENCY: '1',
  });
  const instances = Array.from({ length: 5 }, () => createDatabase(url, { poolSize: 2 }));
  t.after(() => Promise.all(instances.map((d) => d.close())));

  const applied = await Promise.all(instances.map((d) => migrateToLatest(d.db)));
  assert.deepEqual(applied.flat(), MIGRATIONS, 'exactly one instance ran the migrations');
  const cores = await Promise.all(instances.map((d) => createCore(config, createStorage(d))));
  const outcomes = await Promise.all(cores.map((core) => ensureAdmin(core, config.admin)));
  assert.deepEqual(outcomes.sort(), ['created', 'exists', 'exists', 'exists', 'exists']);
  const admins = await instances[0]!.db.selectFrom('users').select('username').where('role', '=', 'admin').execute();
  assert.deepEqual(admins, [{ username: 'boss' }]);

  // All sign with one key, so a token from any instance is good on every other from the first moment: one current
  // key and one next (the HS256 key of migration 0004 is gone: no session, so no token, ever used it).
  const states = await instances[0]!.db.selectFrom('signing_keys').select(['state', 'alg']).orderBy('state').execute();
  assert.deepEqual(states, [
    { state: 'current', alg: 'ES256' },
    { state: 'next', alg: 'ES256' },
  ]);
  for (const [i, core] of cores.entries()) {
    const { accessToken } = (await core.auth.login({ username: 'boss', password: PASSWORD }, { ip: '127.0.0.1' }))
      .tokens!;
    const other = cores[(i + 1) % cores.length]!;
    assert.equal((await other.auth.authenticateToken(accessToken)).role, 'admin');
  }
});
