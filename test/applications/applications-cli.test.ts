import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashSecret } from '../../src/core/security/secrets.js';
import { cliFixture } from '../support/cli.js';
import { build } from '../support/helper.js';

/** `usher app …` as an operator runs it, checked through the HTTP API, the core and the database. */

test('usher app: create (the secret printed once), list, get, update, rotate-secret and delete; misuse refused', async (t) => {
  const { usher, usherAsync, url, admin } = await cliFixture(t);
  const help = usher(['--help']);
  for (const command of ['create', 'list', 'get', 'update', 'delete', 'rotate-secret'])
    assert.match(help.stdout, new RegExp(`\\n  app ${command} +\\S`), command);
  assert.match(usher(['app', 'create', '--help']).stdout, /--redirect-uri/);
  assert.equal(usher(['migrate']).status, 0);
  const boss = admin();
  assert.equal(boss.status, 0, boss.stderr);
  const bossId = JSON.parse(boss.stdout).id;

  // A table on a terminal, with the secret and a note that it is shown only now.
  const table = usher([
    'app',
    'create',
    '--name',
    'Shop',
    '--type',
    'web',
    '--redirect-uri',
    'https://shop.example.com/cb',
    '--redirect-uri',
    'http://localhost:3000/cb',
    '--first-party',
  ]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^client_secret +usher_cs_[A-Za-z0-9_-]{43}$/m);
  assert.match(table.stderr, /shown only now/);
  const shop = JSON.parse(
    usher([
      'app',
      'create',
      '--name',
      'Phone',
      '--type',
      'native',
      '--redirect-uri',
      'com.example.phone:/cb',
      '--scope',
      'openid',
      '--scope',
      'email',
      '--json',
    ]).stdout,
  );
  assert.equal(shop.client_secret, null, 'a native app has no secret');
  assert.deepEqual(shop.scopes, ['openid', 'email']);
  const job = JSON.parse(usher(['app', 'create', '--name', 'Job', '--type', 'machine', '--json']).stdout);
  assert.match(job.client_secret, /^usher_cs_/);

  const api = await build(t, {
    DATABASE_URL: url,
    USHER_ADMIN_USERNAME: '',
    USHER_ADMIN_EMAIL: '',
    USHER_ADMIN_PASSWORD: '',
  });
  const token = (await api.login('boss')).access_token;
  const listed = await api.request('GET', '/api/v1/applications', { token });
  assert.deepEqual(
    listed.body.data.map((a: { name: string }) => a.name),
    ['Job', 'Phone', 'Shop'],
  );
  const web = listed.body.data[2];
  assert.deepEqual(web.redirect_uris, ['https://shop.example.com/cb', 'http://localhost:3000/cb']);
  assert.equal(web.first_party, true);

  const list = usher(['app', 'list', '--json']);
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(
    JSON.parse(list.stdout).map((a: { client_id: string }) => a.client_id),
    listed.body.data.map((a: { client_id: string }) => a.client_id),
  );
  assert.ok(!list.stdout.includes('usher_cs_') && !list.stdout.includes('secret'), 'a list never shows a secret');
  assert.match(usher(['app', 'list', '--search', 'sho']).stdout, /Shop +web/);
  const got = usher(['app', 'get', web.client_id, '--json']);
  assert.equal(JSON.parse(got.stdout).id, web.id);
  assert.ok(!got.stdout.includes('secret'));

  const updated = usher([
    'app',
    'update',
    web.id,
    '--redirect-uri',
    'https://shop.example.com/callback',
    '--third-party',
    '--name',
    'Shop 2',
    '--json',
  ]);
  assert.equal(updated.status, 0, updated.stderr);
  const seen = (await api.request('GET', `/api/v1/applications/${web.id}`, { token })).body.data;
  assert.deepEqual(seen.redirect_uris, ['https://shop.example.com/callback']);
  assert.equal(seen.first_party, false);
  assert.equal(seen.name, 'Shop 2');

  const rotated = JSON.parse(usher(['app', 'rotate-secret', job.client_id, '--json']).stdout);
  assert.match(rotated.client_secret, /^usher_cs_/);
  assert.equal(await api.app.core.applications.checkSecret(job.client_id, job.client_secret), false);
  assert.ok(await api.app.core.applications.checkSecret(job.client_id, rotated.client_secret));
  const row = await api.database.db
    .selectFrom('applications')
    .select('secret_hash')
    .where('id', '=', job.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.secret_hash, hashSecret(rotated.client_secret), 'stored as its hash');

  assert.equal(usher(['app', 'delete', shop.id]).status, 0);
  assert.equal((await api.request('GET', `/api/v1/applications/${shop.id}`, { token })).status, 404);

  // The trail names the admin the command acted as.
  const audit = await api.request('GET', '/api/v1/audit-events?limit=20', { token });
  const types = audit.body.data
    .filter((e: { type: string }) => e.type.startsWith('application.'))
    .map((e: { type: string; actor_id: string }) => `${e.type} ${e.actor_id === bossId}`);
  assert.deepEqual(types, [
    'application.deleted true',
    'application.secret_rotated true',
    'application.updated true',
    'application.created true',
    'application.created true',
    'application.created true',
  ]);

  const cases: Array<[string[], number, RegExp]> = [
    [['app'], 2, /give one of create, list, get, update, delete, rotate-secret/],
    [['app', 'create', '--name', 'x'], 2, /--name and --type are required/],
    [['app', 'create', '--name', 'x', '--type', 'spa'], 1, /redirect_uris: A spa application needs at least one/],
    [['app', 'create', '--name', 'x', '--type', 'web', '--redirect-uri', 'http://x.example/cb'], 1, /https/],
    [['app', 'create', '--name', 'x', '--type', 'tv'], 1, /type: Type must be one of web, spa, native, machine/],
    [['app', 'rotate-secret', shop.client_id], 1, /not found/],
    [['app', 'rotate-secret'], 2, /give the application id/],
    [['app', 'update', web.id], 2, /at least one change/],
    [['app', 'update', web.id, '--first-party', '--third-party'], 2, /not both/],
    [['app', 'get', 'nope'], 1, /Application not found/],
  ];
  const runs = await Promise.all(cases.map(([args]) => usherAsync(args)));
  cases.forEach(([args, status, message], i) => {
    assert.equal(runs[i]!.status, status, `usher ${args.join(' ')}: ${runs[i]!.stderr}`);
    assert.match(runs[i]!.stderr, message, `usher ${args.join(' ')}`);
  });
});
