import assert from 'node:assert/strict';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PASSWORD, build, tempDir } from '../support/helper.js';
import { startServer } from '../support/servers.js';

/** Issue 15: what the server does at start with its files and its bootstrap admin. */

const sqlite = process.env.USHER_TEST_DIALECT !== 'postgres';
const mode = (path: string) => statSync(path).mode & 0o777;

test('the SQLite directory is 0700 and the database, WAL and shared-memory files 0600; a readable file is reported at start', {
  skip: !sqlite && 'SQLite files only',
}, async (t) => {
  const root = tempDir('usher-perms-');
  const dir = join(root, 'data');
  const file = join(dir, 'usher.db');
  const api = await build(t, { DATABASE_URL: `sqlite:${file}` });
  await api.user();
  assert.equal(mode(dir), 0o700);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    assert.ok(existsSync(f), f);
    assert.equal(mode(f), 0o600, f);
  }
  await api.app.close();

  chmodSync(file, 0o644);
  const server = await startServer({ DATABASE_URL: `sqlite:${file}` });
  t.after(() => server.stop());
  assert.match(server.output(), /usher\.db is readable or writable by other accounts \(mode 644\)/);
  assert.equal(mode(file), 0o644, "reported, not changed behind the operator's back");
});

test('USHER_ADMIN_* that cannot be honoured stops the start, naming the conflict', async (t) => {
  const api = await build(t);
  const plain = await api.register();
  const start = (admin: Record<string, string>) =>
    buildApp(
      loadConfig({
        DATABASE_URL: api.config.databaseUrl,
        LOG_LEVEL: 'silent',
        USHER_ADMIN_PASSWORD: PASSWORD,
        ...admin,
      }),
      { database: api.database, now: api.clock.now },
    );
  await assert.rejects(
    start({ USHER_ADMIN_USERNAME: 'new_boss', USHER_ADMIN_EMAIL: plain.email }),
    (e: unknown) => e instanceof ConfigError && e.variable === 'USHER_ADMIN_EMAIL' && e.message.includes(plain.email),
  );
  await assert.rejects(
    start({ USHER_ADMIN_USERNAME: plain.username, USHER_ADMIN_EMAIL: 'other@example.com' }),
    (e: unknown) => e instanceof ConfigError && e.variable === 'USHER_ADMIN_USERNAME' && /not an admin/.test(e.message),
  );
  const users = await api.database.db.selectFrom('users').select('username').where('role', '=', 'admin').execute();
  assert.deepEqual(users, [{ username: 'root_admin' }], 'no admin was made or changed');
  // The configured admin already existing is fine: a restart.
  const again = await start({ USHER_ADMIN_USERNAME: 'root_admin', USHER_ADMIN_EMAIL: 'root@example.com' });
  await again.close();
});

test('the server exits 1 with the conflict in its message', {
  skip: !sqlite && 'one dialect is enough for the process exit',
}, async () => {
  const root = tempDir('usher-admin-');
  const env = { DATABASE_URL: `sqlite:${join(root, 'usher.db')}`, USHER_ADMIN_PASSWORD: PASSWORD };
  const first = await startServer({
    ...env,
    USHER_ADMIN_USERNAME: 'first_admin',
    USHER_ADMIN_EMAIL: 'shared@example.com',
  });
  assert.equal(await first.stop(), 0);
  const error = await startServer({
    ...env,
    USHER_ADMIN_USERNAME: 'second_admin',
    USHER_ADMIN_EMAIL: 'shared@example.com',
  }).catch((e: Error) => e);
  assert.ok(error instanceof Error);
  assert.match(error.message, /exited with 1 before listening/);
  assert.match(error.message, /USHER_ADMIN_EMAIL "shared@example\.com" belongs to another user/);
});
