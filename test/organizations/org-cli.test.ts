import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliFixture } from '../support/cli.js';

/** `usher org …` as an operator runs it: organizations and their members; misuse refused. */
test('usher org: add, list, update, member add and remove, remove; misuse refused', async (t) => {
  const { usher, admin } = await cliFixture(t);
  assert.match(usher(['--help']).stdout, /\n {2}org member add +\S/);
  assert.equal(usher(['migrate']).status, 0);
  assert.equal(admin().status, 0);

  const added = usher(['org', 'add', '--name', 'Acme Corp', '--domain', 'acme.com', '--json']);
  assert.equal(added.status, 0, added.stderr);
  const org = JSON.parse(added.stdout);
  assert.equal(org.slug, 'acme-corp');
  assert.deepEqual(org.domains, ['acme.com']);
  assert.equal(usher(['org', 'add', '--name', 'Other', '--domain', 'acme.com']).status, 1, 'a taken domain');
  assert.equal(usher(['org', 'add']).status, 2);

  const list = usher(['org', 'list', '--search', 'acme']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /acme-corp/);

  const updated = usher(['org', 'update', 'acme-corp', '--name', 'Acme Inc', '--json']);
  assert.equal(updated.status, 0, updated.stderr);
  assert.equal(JSON.parse(updated.stdout).name, 'Acme Inc');

  const member = usher(['org', 'member', 'add', org.id, 'boss', '--json']);
  assert.equal(member.status, 0, member.stderr);
  assert.equal(JSON.parse(member.stdout).username, 'boss');
  assert.equal(usher(['org', 'member', 'add', org.id, 'boss']).status, 1, 'already a member');
  assert.equal(usher(['org', 'member', 'add', org.id, 'boss', '--role', 'nope']).status, 1);
  assert.equal(usher(['org', 'member', 'remove', org.id, 'boss']).status, 0);
  assert.equal(usher(['org', 'member', 'remove', org.id, 'boss']).status, 1);
  assert.equal(usher(['org', 'member']).status, 2);

  assert.equal(usher(['org', 'remove', org.id]).status, 0);
  assert.match(usher(['org', 'list', '--json']).stdout, /^\[\]\s*$/);
});
