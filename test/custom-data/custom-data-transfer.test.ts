import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { cliFixture, jsonl } from '../support/cli.js';
import { build } from '../support/helper.js';

/**
 * `usher import` and `usher export` carry custom_data (a JSONL object, a CSV cell of JSON text) and external_id;
 * imported custom_data is checked against the user schema like every other write. Runs on both dialects.
 */

const SCHEMA = {
  type: 'object',
  properties: { plan: { enum: ['free', 'pro'] }, tags: { type: 'array', items: { type: 'string' } } },
};

test('import checks custom_data and external_id; export writes them; a CSV export imports back the same', async (t) => {
  const { usher, url, file, dir } = await cliFixture(t);
  const api = await build(t, { DATABASE_URL: url });
  const admin = await api.admin();
  assert.equal(
    (await api.request('PUT', '/api/v1/user-schema', { token: admin.token, body: { schema: SCHEMA } })).status,
    200,
  );

  const rows = [
    {
      username: 'cd_a',
      email: 'a@example.com',
      password: 'SecurePass123!',
      custom_data: { plan: 'pro', tags: ['x'] },
      external_id: 'ext-a',
    },
    { username: 'cd_b', email: 'b@example.com', password: 'SecurePass123!', custom_data: '{"plan":"free"}' },
    { username: 'cd_bad', email: 'bad@example.com', password: 'SecurePass123!', custom_data: { plan: 'gold' } },
    { username: 'cd_arr', email: 'arr@example.com', password: 'SecurePass123!', custom_data: [1] },
    { username: 'cd_text', email: 'text@example.com', password: 'SecurePass123!', custom_data: '{nope' },
    { username: 'cd_dup', email: 'dup@example.com', password: 'SecurePass123!', external_id: 'ext-a' },
  ];
  // Without --skip-invalid the first bad row stops the import, naming the schema's field.
  const stopped = usher(['import', file('stop.jsonl', jsonl(rows))]);
  assert.equal(stopped.status, 1);
  assert.match(stopped.stderr, /line 3: custom_data\.plan: must be one of "free", "pro"/);

  const rejectFile = `${dir}/rejects.jsonl`;
  const run = usher([
    'import',
    file('users.jsonl', jsonl(rows)),
    '--skip-invalid',
    '--reject-file',
    rejectFile,
    '--json',
  ]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).created, 2);
  const rejected = readFileSync(rejectFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; reason: string });
  assert.deepEqual(
    rejected.map((r) => r.line),
    [3, 4, 5, 6],
  );
  assert.match(rejected[0]!.reason, /custom_data\.plan/);
  assert.match(rejected[1]!.reason, /custom_data: must be a JSON object/);
  assert.match(rejected[2]!.reason, /custom_data: must be a JSON object/);
  assert.match(rejected[3]!.reason, /external_id ext-a appears earlier in the file/);

  const row = (username: string) =>
    api.database.db
      .selectFrom('users')
      .select(['custom_data', 'external_id'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse((await row('cd_a')).custom_data!), { plan: 'pro', tags: ['x'] });
  assert.equal((await row('cd_a')).external_id, 'ext-a');
  assert.deepEqual(JSON.parse((await row('cd_b')).custom_data!), { plan: 'free' });

  // An external id another user already has (in the database) is a bad row too.
  const again = usher([
    'import',
    file(
      'again.jsonl',
      jsonl([{ username: 'cd_c', email: 'c@example.com', password: 'SecurePass123!', external_id: 'ext-a' }]),
    ),
  ]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /external_id ext-a belongs to another user/);
  // --upsert replaces custom_data (checked) of the user the row names.
  const up = usher([
    'import',
    file(
      'up.jsonl',
      jsonl([{ username: 'cd_a', email: 'a@example.com', custom_data: { plan: 'free' }, external_id: 'ext-a' }]),
    ),
    '--upsert',
  ]);
  assert.equal(up.status, 0, up.stderr);
  assert.deepEqual(JSON.parse((await row('cd_a')).custom_data!), { plan: 'free' });

  // Export: JSONL objects, CSV JSON text.
  const json = usher(['export', '--format', 'jsonl']);
  assert.equal(json.status, 0, json.stderr);
  const exported = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const a = exported.find((u) => u.username === 'cd_a');
  assert.deepEqual(a.custom_data, { plan: 'free' });
  assert.equal(a.external_id, 'ext-a');
  assert.deepEqual(exported.find((u) => u.username === 'root_admin').custom_data, {});

  const csv = usher(['export', '--format', 'csv', '--out', `${dir}/out.csv`]);
  assert.equal(csv.status, 0, csv.stderr);
  const text = readFileSync(`${dir}/out.csv`, 'utf8');
  const records = parse(text, { columns: true }) as Array<Record<string, string>>;
  const b = records.find((r) => r.username === 'cd_b')!;
  assert.equal(b.custom_data, '{"plan":"free"}');
  assert.equal(records.find((r) => r.username === 'cd_a')!.external_id, 'ext-a');

  // Into another Usher: the same attributes come back.
  const other = await cliFixture(t);
  const api2 = await build(t, { DATABASE_URL: other.url });
  const admin2 = await api2.admin();
  // Its own root_admin is there already: that row is skipped.
  const back = other.usher(['import', other.file('back.csv', text), '--skip-invalid', '--json']);
  assert.equal(back.status, 0, back.stderr);
  assert.equal(JSON.parse(back.stdout).created, 2);
  const found = await api2.request('GET', '/api/v1/users?external_id=ext-a', { token: admin2.token });
  assert.equal(found.body.data.length, 1);
  assert.deepEqual(found.body.data[0].custom_data, { plan: 'free' });
  const list = await api2.request('GET', '/api/v1/users?search=cd_b', { token: admin2.token });
  assert.deepEqual(list.body.data[0].custom_data, { plan: 'free' });
});
