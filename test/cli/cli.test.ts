import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { hash as argon2 } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { cliFixture, jsonl } from '../support/cli.js';
import { PASSWORD, build } from '../support/helper.js';

/**
 * The `usher` command as an operator runs it: `npx usher …` in the checkout,
 * against a real database, checked through the HTTP API and the database.
 */

const setup = (t: TestContext) => cliFixture(t);

test('npx usher: help for every command, users and keys managed from the terminal, misuse refused with a non-zero exit', async (t) => {
  const { usher, usherAsync, url, file } = await setup(t);
  const help = usher(['--help'], { npx: true });
  assert.equal(help.status, 0);
  for (const command of [
    'serve',
    'migrate',
    'user create',
    'user list',
    'user get',
    'user set-role',
    'user set-status',
    'user set-password',
    'user delete',
    'user restore',
    'apikey create',
    'apikey list',
    'apikey revoke',
    'import',
    'export',
  ]) {
    assert.match(help.stdout, new RegExp(`\\n  ${command} +\\S`), command);
  }
  const importHelp = usher(['import', '--help'], { npx: true });
  assert.equal(importHelp.status, 0);
  assert.match(importHelp.stdout, /--skip-invalid/);
  assert.match(importHelp.stdout, /--upsert/);
  assert.equal(usher(['migrate']).status, 0);

  // The first admin, made from the terminal; then the rest acts as that admin.
  const boss = usher(
    [
      'user',
      'create',
      '--username',
      'boss',
      '--email',
      'boss@example.com',
      '--password-stdin',
      '--role',
      'admin',
      '--json',
    ],
    { input: `${PASSWORD}\n` },
  );
  assert.equal(boss.status, 0, boss.stderr);
  const bossId = JSON.parse(boss.stdout).id;
  const made = usher([
    'user',
    'create',
    '--username',
    'carol',
    '--email',
    'carol@example.com',
    '--password',
    PASSWORD,
    '--first-name',
    'Carol',
    '--json',
  ]);
  assert.equal(made.status, 0, made.stderr);
  const carol = JSON.parse(made.stdout);
  assert.equal(carol.role, 'user');

  const api = await build(t, {
    DATABASE_URL: url,
    USHER_ADMIN_USERNAME: '',
    USHER_ADMIN_EMAIL: '',
    USHER_ADMIN_PASSWORD: '',
  });
  const login = await api.request('POST', '/api/v1/auth/login', { body: { username: 'carol', password: PASSWORD } });
  assert.equal(login.status, 200);

  const table = usher(['user', 'list'], { npx: true });
  assert.equal(table.status, 0);
  assert.match(table.stdout, /^ID +USERNAME +EMAIL +ROLE +STATUS/);
  assert.match(table.stdout, /carol +carol@example\.com +user +active/);
  assert.deepEqual(
    JSON.parse(usher(['user', 'list', '--search', 'car', '--json']).stdout).map(
      (u: { username: string }) => u.username,
    ),
    ['carol'],
  );
  assert.equal(JSON.parse(usher(['user', 'get', 'carol@example.com', '--json']).stdout).id, carol.id);

  assert.equal(usher(['user', 'set-role', 'carol', 'moderator']).status, 0);
  assert.equal(usher(['user', 'set-status', carol.id, 'suspended']).status, 0);
  const seen = (
    await api.request('GET', `/api/v1/users/${carol.id}`, { token: (await api.login('boss')).access_token })
  ).body.data;
  assert.equal(seen.role, 'moderator');
  assert.equal(seen.status, 'suspended');
  assert.equal(usher(['user', 'set-status', 'carol', 'active']).status, 0);
  assert.equal(usher(['user', 'set-password', 'carol', '--password-stdin'], { input: 'Another-pass-42\n' }).status, 0);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 'carol', password: 'Another-pass-42' } }))
      .status,
    200,
  );
  assert.equal(usher(['user', 'delete', 'carol']).status, 0);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 'carol', password: 'Another-pass-42' } }))
      .status,
    401,
  );
  assert.equal(usher(['user', 'restore', carol.id]).status, 0);

  // API keys: the secret once, never in a list; a revoked key stops working.
  const key = JSON.parse(usher(['apikey', 'create', '--name', 'deploy', '--role', 'moderator', '--json']).stdout);
  assert.match(key.key, /^usk_/);
  assert.equal((await api.request('GET', '/v1/users', { apiKey: key.key })).status, 200);
  const keys = usher(['apikey', 'list', '--json']);
  assert.ok(!keys.stdout.includes(key.key), 'a list never shows a secret');
  assert.equal(JSON.parse(keys.stdout)[0].id, key.id);
  assert.equal(usher(['apikey', 'revoke', key.id]).status, 0);
  api.clock.advance(1100); // the server's key cache lives a second (of the app's clock)
  assert.equal((await api.request('GET', '/v1/users', { apiKey: key.key })).status, 401);
  const audit = await api.request('GET', `/api/v1/audit-events?actor_id=${bossId}&type=api_key.created`, {
    token: (await api.login('boss')).access_token,
  });
  assert.equal(audit.body.data.length, 1, 'the audit trail names the admin the command acted as');

  // Misuse: a clear message and a non-zero exit.
  const cases: Array<[string[], number, RegExp]> = [
    [['frobnicate'], 2, /no command frobnicate/],
    [['user'], 2, /give one of create, list/],
    [['user', 'create', '--username', 'x'], 2, /--username and --email are required/],
    [['user', 'create', '--username', 'dave', '--email', 'dave@example.com', '--password', 'short'], 1, /password/i],
    [['user', 'get', 'nobody'], 1, /No user nobody/],
    [['user', 'list', '--limit', '1000'], 2, /--limit/],
    [['user', 'list', '--colour'], 2, /Unknown option '--colour'/],
    [['user', 'set-role', 'boss', 'moderator'], 1, /last active admin/],
    [['import', join(tmpdir(), 'no-such-file.csv')], 2, /not a readable file/],
    [['import', file('users.txt', 'username\n')], 2, /--format csv or --format jsonl/],
    [['export', '--format', 'xml'], 2, /--format must be jsonl or csv/],
  ];
  const runs = await Promise.all(cases.map(([args]) => usherAsync(args)));
  cases.forEach(([args, status, message], i) => {
    assert.equal(runs[i]!.status, status, `usher ${args.join(' ')}: ${runs[i]!.stderr}`);
    assert.match(runs[i]!.stderr, message, `usher ${args.join(' ')}`);
  });
});

test('import: bcrypt, argon2 and Django hashes kept and upgraded to argon2id at the next login; plain passwords hashed; all or nothing; --skip-invalid; --upsert; CSV', async (t) => {
  const { usher, url, file, dir } = await setup(t);
  const salt = randomBytes(6).toString('hex');
  const django = `pbkdf2_sha256$600000$${salt}$${pbkdf2Sync(PASSWORD, salt, 600000, 32, 'sha256').toString('base64')}`;
  const bcrypt2b = bcrypt.hashSync(PASSWORD, 10);
  const rows = [
    { username: 'django_user', email: 'django@example.com', first_name: 'Dj', password_hash: django },
    { username: 'bcrypt_b', email: 'b@example.com', password_hash: bcrypt2b },
    { username: 'bcrypt_y', email: 'y@example.com', password_hash: bcrypt2b.replace('$2b$', '$2y$') },
    {
      username: 'bcrypt_a',
      email: 'a@example.com',
      password_hash: bcrypt.hashSync(PASSWORD, 4).replace('$2b$', '$2a$'),
    },
    { username: 'argon_i', email: 'i@example.com', password_hash: await argon2(PASSWORD, { algorithm: 1 }) },
    {
      username: 'argon_id',
      email: 'id@example.com',
      password_hash: await argon2(PASSWORD, { algorithm: 2 }),
      role: 'moderator',
      status: 'inactive',
    },
    { username: 'plain', email: 'plain@example.com', password: PASSWORD, last_name: 'Text' },
  ];

  // One bad row stops everything: its line and reason, a non-zero exit, nothing imported.
  const broken = file(
    'broken.jsonl',
    jsonl([rows[0]!, rows[1]!, { username: 'x!', email: 'bad', password_hash: 'md5$abc' }, rows[2]!]),
  );
  const stopped = usher(['import', broken]);
  assert.equal(stopped.status, 1);
  assert.match(stopped.stderr, /line 3: (?=.*username)(?=.*email)(?=.*password_hash)/);
  assert.match(stopped.stderr, /nothing was imported/);

  const api = await build(t, { DATABASE_URL: url });
  const count = async () =>
    Number(
      (
        await api.database.db
          .selectFrom('users')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.equal(await count(), 1, 'only the bootstrap admin');

  const good = usher(['import', file('users.jsonl', jsonl(rows)), '--json']);
  assert.equal(good.status, 0, good.stderr);
  assert.deepEqual({ ...JSON.parse(good.stdout), seconds: 0 }, { created: 7, updated: 0, rejected: 0, seconds: 0 });
  const hashOf = async (username: string) =>
    (
      await api.database.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).password_hash!;
  assert.equal(await hashOf('django_user'), django, 'kept as it was');
  assert.match(await hashOf('plain'), /^\$argon2id\$/);

  for (const { username } of rows) {
    if (username === 'argon_id') continue; // inactive: checked below
    const res = await api.request('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
    assert.equal(res.status, 200, `${username}: ${res.raw}`);
    assert.match(await hashOf(username), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, `${username} upgraded at login`);
    assert.equal(
      (await api.request('POST', '/api/v1/auth/login', { body: { username, password: 'Wrong-password-1' } })).status,
      401,
    );
  }
  const inactive = (await api.request('GET', '/api/v1/users?search=argon_id', { token: (await api.admin()).token }))
    .body.data[0];
  assert.equal(inactive.role, 'moderator');
  assert.equal(inactive.status, 'inactive');

  // Existing users are bad rows unless --upsert; --skip-invalid imports the rest and writes a reject file.
  const more = file(
    'more.csv',
    [
      'username,email,first_name,password',
      'django_user,django@example.com,Django,',
      'newcomer,new@example.com,New,' + PASSWORD,
      'no_at,not-an-email,,' + PASSWORD,
      'newcomer,other@example.com,,' + PASSWORD,
    ].join('\n'),
  );
  const refused = usher(['import', more]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /line 2: username django_user already exists/);
  const skipped = usher(['import', more, '--skip-invalid', '--json']);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.deepEqual(
    { ...JSON.parse(skipped.stdout), seconds: 0 },
    { created: 1, updated: 0, rejected: 3, seconds: 0, reject_file: `${more}.rejects.jsonl` },
  );
  const rejects = readFileSync(`${more}.rejects.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rejects.map((r) => r.line),
    [2, 4, 5],
  );
  assert.match(rejects[1].reason, /email/i);
  assert.match(rejects[2].reason, /appears earlier in the file/);
  assert.ok(!readFileSync(`${more}.rejects.jsonl`, 'utf8').includes(PASSWORD), 'no plain password in the reject file');
  assert.equal(statSync(`${more}.rejects.jsonl`).mode & 0o777, 0o600);

  const upsert = usher([
    'import',
    file(
      'upsert.jsonl',
      jsonl([{ username: 'django_user', email: 'django@example.com', first_name: 'Renamed', status: 'suspended' }]),
    ),
    '--upsert',
    '--json',
  ]);
  assert.deepEqual({ ...JSON.parse(upsert.stdout), seconds: 0 }, { created: 0, updated: 1, rejected: 0, seconds: 0 });
  const renamed = (await api.request('GET', '/api/v1/users?search=django_user', { token: (await api.admin()).token }))
    .body.data[0];
  assert.equal(renamed.first_name, 'Renamed');
  assert.equal(renamed.status, 'suspended');
  assert.equal(renamed.last_name, null, 'fields the row did not give stay as they were');

  // On a terminal the import draws a progress bar (count, rate, ETA); without one, plain lines.
  if (spawnSync('script', ['--version']).status === 0) {
    const bulk = file(
      'bulk.jsonl',
      jsonl(
        Array.from({ length: 3000 }, (_, i) => ({
          username: `bulk_${i}`,
          email: `bulk_${i}@example.com`,
          password_hash: bcrypt2b,
        })),
      ),
    );
    const tty = spawnSync('script', ['-qec', `npx usher import ${bulk}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    });
    assert.equal(tty.status, 0, tty.stdout);
    assert.match(tty.stdout, /\rimport \[#{30}\] 3000\/3000 rows, \d+\/s, ETA 0 s/);
  }
  assert.ok(existsSync(dir));
});

test('export: JSONL and CSV, streamed, without hashes unless asked; an export re-imports into an empty database with the same users and passwords', async (t) => {
  const { usher, url, dir } = await setup(t);
  const api = await build(t, { DATABASE_URL: url });
  const admin = await api.admin();
  const users: Array<{ id: string; username: string }> = [];
  for (let i = 0; i < 5; i++)
    users.push(
      await api.register({
        first_name: `First${i}`,
        date_of_birth: '1990-01-0' + (i + 1),
        phone_number: '+1-555-0123',
      }),
    );
  await api.request('DELETE', `/api/v1/users/${users[4]!.id}`, { token: admin.token });

  const plain = usher(['export']);
  assert.equal(plain.status, 0, plain.stderr);
  const lines = plain.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 5, 'the admin and four live users');
  assert.ok(
    lines.every((l) => !('password_hash' in l)),
    'no hashes unless asked',
  );
  assert.equal(lines.find((l) => l.username === users[0]!.username).first_name, 'First0');

  const all = usher(['export', '--include-deleted', '--format', 'csv']);
  const csv = all.stdout.trim().split('\n');
  assert.match(csv[0]!, /^id,username,email,.*,deleted_at$/);
  assert.equal(csv.length, 7);

  const out = join(dir, 'export.jsonl');
  assert.equal(usher(['export', '--with-hashes', '--out', out]).status, 0);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const exported = readFileSync(out, 'utf8');
  assert.match(exported, /"password_hash":"\$argon2id\$/);

  // Into an empty database: the same users, and the same passwords work.
  const fresh = await setup(t);
  const imported = fresh.usher(['import', out, '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).created, 5);
  const again = fresh.usher(['export', '--with-hashes']).stdout;
  const strip = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => {
        const { updated_at: _, ...rest } = JSON.parse(l);
        return rest;
      });
  assert.deepEqual(strip(again), strip(exported));
  const other = await build(t, {
    DATABASE_URL: fresh.url,
    USHER_ADMIN_USERNAME: '',
    USHER_ADMIN_EMAIL: '',
    USHER_ADMIN_PASSWORD: '',
  });
  assert.equal(
    (await other.request('POST', '/api/v1/auth/login', { body: { username: users[1]!.username, password: PASSWORD } }))
      .status,
    200,
  );
  assert.equal(
    (await other.request('POST', '/api/v1/auth/login', { body: { username: 'root_admin', password: PASSWORD } }))
      .status,
    200,
  );
});

test('export is audited: one user.exported event naming the admin the command acted as, how many users left and whether with their hashes; a failed export records none', async (t) => {
  const { usher, url, dir } = await setup(t);
  const api = await build(t, { DATABASE_URL: url });
  const admin = await api.admin();
  for (let i = 0; i < 3; i++) await api.register();
  const exported = async () =>
    (await api.request('GET', '/api/v1/audit-events?type=user.exported', { token: admin.token })).body.data as Array<{
      actor_id: string | null;
      ip: string | null;
      details: Record<string, unknown>;
    }>;

  const out = join(dir, 'users.csv');
  const withHashes = usher(['export', '--with-hashes', '--format', 'csv', '--out', out]);
  assert.equal(withHashes.status, 0, withHashes.stderr);
  assert.equal(usher(['export']).status, 0);
  const events = await exported();
  assert.deepEqual(
    events.map((e) => [e.actor_id, e.ip, e.details]),
    [
      [admin.id, 'cli', { count: 4, include_hashes: false, include_deleted: false, format: 'jsonl' }],
      [admin.id, 'cli', { count: 4, include_hashes: true, include_deleted: false, format: 'csv' }],
    ],
    'newest first: the admin and three users each time, the hashes only in the first',
  );

  // The export did not complete (its target is a directory: the file cannot be put in place): no event.
  const failed = usher(['export', '--out', dir]);
  assert.equal(failed.status, 1);
  assert.equal((await exported()).length, 2);

  // The bootstrap admin was made by the service itself: its event names no actor, only where it came from.
  const created = await api.request('GET', `/api/v1/audit-events?type=user.created&target_id=${admin.id}`, {
    token: admin.token,
  });
  assert.deepEqual(
    created.body.data.map((e: { actor_id: string | null; ip: string | null }) => [e.actor_id, e.ip]),
    [[null, 'bootstrap']],
  );
});
