import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshPostgresSchema, tempDir } from '../../scripts/fixtures.js';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD } from '../support/helper.js';
import { call, startServer } from '../support/servers.js';

/**
 * Issue 23, item 1: imported hashes with hostile parameters, against a real
 * server process and the real `usher` command. A bcrypt hash at cost 16 is
 * inside the bounds but takes seconds in bcryptjs: it must not hold the
 * event loop (/health), keep other users out, or the process at SIGTERM.
 */
const BCRYPT_16 = `$2b$16$${'a'.repeat(22)}${'b'.repeat(31)}`;
const SALT = 'c29tZXNhbHQ';
const HOSTILE = {
  bcrypt31: `$2b$31$${'a'.repeat(53)}`,
  argon2Memory: `$argon2id$v=19$m=4194304,t=2,p=1$${SALT}$${SALT}`,
  argon2Time: `$argon2id$v=19$m=19456,t=4294967295,p=1$${SALT}$${SALT}`,
  pbkdf2: `pbkdf2_sha256$10000001$salt$${'A'.repeat(43)}=`,
};
const ADMIN = {
  USHER_ADMIN_USERNAME: 'root_admin',
  USHER_ADMIN_EMAIL: 'root@example.com',
  USHER_ADMIN_PASSWORD: 'Orbit-Lantern-42',
};

async function databaseUrl(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.USHER_TEST_DIALECT !== 'postgres')
    return { url: `sqlite:${join(dir, 'usher.db')}`, drop: async () => {} };
  return freshPostgresSchema(process.env.TEST_DATABASE_URL!, 'hh');
}

const usher = (args: string[], url: string) =>
  spawnSync(process.execPath, ['bin/usher.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });

/** Peak resident memory of a process, MiB (VmHWM). */
const peakMiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

test('hostile imported hashes: refused at import (rows named), refused at login unhashed, slow ones abandoned off the event loop; SIGTERM exits promptly', async (t) => {
  const dir = tempDir('usher-hashes-');
  const db = await databaseUrl(dir);
  t.after(() => db.drop());
  const jsonl = (rows: object[]) => {
    const path = join(dir, `rows-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n'));
    return path;
  };

  // The import refuses each hostile row by its line and reason, and writes nothing.
  const hostileRows = Object.entries(HOSTILE).map(([name, hash]) => ({
    username: `h_${name.toLowerCase()}`,
    email: `${name}@example.com`,
    password_hash: hash,
  }));
  assert.equal(usher(['migrate'], db.url).status, 0);
  const importReasons = [
    /bcrypt cost 31 is over 16/,
    /argon2 memory \(KiB\) 4194304 is over 262144/,
    /argon2 time cost 4294967295 is over 16/,
    /PBKDF2 iterations 10000001 is over 10000000/,
  ];
  for (const [i, row] of hostileRows.entries()) {
    const refused = usher(['import', jsonl([{ username: 'fine_user', email: 'fine@example.com' }, row])], db.url);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`line 2: password_hash: ${importReasons[i]!.source}`));
    assert.match(refused.stderr, /nothing was imported/);
  }

  // Inside the bounds, a slow hash imports; hostile ones already stored (by an older version) are set directly.
  const slowRow = { username: 'slow_bcrypt', email: 'slow@example.com', password_hash: BCRYPT_16 };
  const imported = usher(
    ['import', jsonl([slowRow, ...hostileRows.map((r) => ({ ...r, password_hash: undefined }))]), '--json'],
    db.url,
  );
  assert.equal(imported.status, 0, imported.stderr);
  const database = createDatabase(db.url);
  for (const row of hostileRows)
    await database.db
      .updateTable('users')
      .set({ password_hash: row.password_hash })
      .where('username', '=', row.username)
      .execute();
  await database.close();

  const server = await startServer({
    DATABASE_URL: db.url,
    USHER_HASH_CHECK_TIMEOUT: '3',
    USHER_RATE_LIMIT: 'off',
    ...ADMIN,
  });
  t.after(() => server.stop());
  const pid = server.child.pid!;
  const owner = await call(server.base, 'POST', '/api/v1/users', {
    body: { username: 'real_owner', email: 'owner@example.com', password: PASSWORD },
  });
  assert.equal(owner.status, 201);

  // Hostile hashes: 401 as a wrong password, without spending their memory (a 4 GiB argon2 would show in the peak).
  const before = peakMiB(pid);
  for (const row of hostileRows) {
    const res = await call(server.base, 'POST', '/api/v1/auth/login', {
      body: { username: row.username, password: 'whatever-it-is-1' },
    });
    assert.equal(res.status, 401, row.username);
  }
  assert.ok(peakMiB(pid) - before < 200, `peak RSS grew from ${before} to ${peakMiB(pid)} MiB`);

  // Two anonymous logins against the slow hash; the owner logs in and /health answers while they run.
  const order: string[] = [];
  const attack = [1, 2].map((n) =>
    call(server.base, 'POST', '/api/v1/auth/login', { body: { username: 'slow_bcrypt', password: `guess-${n}` } }).then(
      (r) => (order.push(`attack:${r.status}`), r),
    ),
  );
  await new Promise((r) => setTimeout(r, 300));
  const health = await call(server.base, 'GET', '/health');
  order.push(`health:${health.status}`);
  const login = await call(server.base, 'POST', '/api/v1/auth/login', {
    body: { username: 'real_owner', password: PASSWORD },
  });
  order.push(`owner:${login.status}`);
  await Promise.all(attack);
  assert.deepEqual(order, ['health:200', 'owner:200', 'attack:401', 'attack:401']);

  // Each is in the audit trail as a failed login with its reason.
  const admin = await call(server.base, 'POST', '/api/v1/auth/login', {
    body: { username: ADMIN.USHER_ADMIN_USERNAME, password: ADMIN.USHER_ADMIN_PASSWORD },
  });
  const events = await call(server.base, 'GET', '/api/v1/audit-events?type=user.login_failed&limit=100', {
    token: admin.body.access_token,
  });
  const reasons = events.body.data.map((e: { details: { reason: string } }) => e.details.reason).sort();
  assert.deepEqual(reasons, [
    'hash_timed_out',
    'hash_timed_out',
    'unsafe_hash',
    'unsafe_hash',
    'unsafe_hash',
    'unsafe_hash',
  ]);

  // SIGTERM with a slow check in flight on a keep-alive connection: the login is answered, the process exits 0 within
  // 10 s.
  const agent = new Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  const keptAlive = await new Promise<number>((resolve, reject) =>
    httpRequest(`${server.base}/health`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    })
      .on('error', reject)
      .end(),
  );
  assert.equal(keptAlive, 200);
  const inFlight = call(server.base, 'POST', '/api/v1/auth/login', {
    body: { username: 'slow_bcrypt', password: 'guess-3' },
  });
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const answer = await inFlight;
  assert.equal(answer.status, 503);
  assert.equal(answer.body.error.code, 'SERVICE_UNAVAILABLE');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 10_000, `exited after ${Date.now() - started} ms`);
});
