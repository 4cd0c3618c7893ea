import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliFixture } from '../support/cli.js';

/** `usher idp …` as an operator runs it: add (the secret from stdin, never printed), list, update, remove. */
test('usher idp: add, list, update and remove; the secret is never printed; misuse refused', async (t) => {
  const { usher, admin } = await cliFixture(t, { USHER_PUBLIC_URL: 'https://id.example.com' });
  assert.match(usher(['--help']).stdout, /\n {2}idp add +\S/);
  assert.equal(usher(['migrate']).status, 0);
  assert.equal(admin().status, 0);

  const added = usher(
    ['idp', 'add', '--type', 'google', '--client-id', 'abc.apps', '--client-secret-stdin', '--json'],
    {
      input: 'google-secret-1\n',
    },
  );
  assert.equal(added.status, 0, added.stderr);
  const google = JSON.parse(added.stdout);
  assert.equal(google.issuer, 'https://accounts.google.com');
  assert.equal(google.redirect_uri, `https://id.example.com/auth/callback/${google.id}`);
  assert.equal(google.has_client_secret, true);
  assert.ok(!added.stdout.includes('google-secret-1'));

  const gh = usher([
    'idp',
    'add',
    '--type',
    'github',
    '--client-id',
    'gh',
    '--api-url',
    'https://ghe.example.com/api/v3',
    '--no-auto-create',
    '--json',
  ]);
  assert.equal(gh.status, 0, gh.stderr);
  assert.equal(JSON.parse(gh.stdout).auto_create, false);

  const list = usher(['idp', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /Google/);
  assert.match(list.stdout, /GitHub/);
  assert.ok(!list.stdout.includes('google-secret-1'));

  const updated = usher(['idp', 'update', google.id, '--display-name', 'Google Workspace', '--disabled', '--json']);
  assert.equal(updated.status, 0, updated.stderr);
  assert.deepEqual(
    [JSON.parse(updated.stdout).display_name, JSON.parse(updated.stdout).enabled],
    ['Google Workspace', false],
  );

  assert.equal(usher(['idp', 'add', '--type', 'saml', '--client-id', 'x']).status, 1);
  assert.equal(usher(['idp', 'add', '--type', 'oidc']).status, 2);
  assert.equal(usher(['idp', 'update', google.id]).status, 2);
  assert.equal(usher(['idp', 'update', google.id, '--enabled', '--disabled']).status, 2);
  assert.equal(usher(['idp', 'remove', google.id]).status, 0);
  assert.equal(usher(['idp', 'remove', google.id]).status, 1);
  assert.doesNotMatch(usher(['idp', 'list']).stdout, /Google/);
});
