import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliFixture } from '../support/cli.js';

/** `usher role …` and `usher user roles` as an operator runs them, through `npx usher`. */
test('usher role: add, list, update, remove; usher user roles sets and shows; misuse refused', async (t) => {
  const { usher, admin } = await cliFixture(t);
  assert.match(usher(['--help']).stdout, /\n {2}role add +\S/);
  assert.equal(usher(['migrate']).status, 0);
  assert.equal(admin().status, 0);

  const added = usher([
    'role',
    'add',
    '--name',
    'billing',
    '--permission',
    'invoices:write',
    '--permission',
    'invoices:read',
    '--json',
  ]);
  assert.equal(added.status, 0, added.stderr);
  const role = JSON.parse(added.stdout);
  assert.deepEqual(role.permissions, ['invoices:read', 'invoices:write']);
  assert.equal(role.scope, 'global');
  assert.equal(usher(['role', 'add', '--name', 'owner', '--scope', 'organization']).status, 0);

  const list = usher(['role', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /billing/);
  assert.match(list.stdout, /invoices:read invoices:write/);
  assert.deepEqual(
    JSON.parse(usher(['role', 'list', '--scope', 'organization', '--json']).stdout).map(
      (r: { name: string }) => r.name,
    ),
    ['owner'],
  );

  const updated = usher([
    'role',
    'update',
    'billing',
    '--permission',
    'invoices:read',
    '--description',
    'Billing',
    '--json',
  ]);
  assert.equal(updated.status, 0, updated.stderr);
  assert.deepEqual(JSON.parse(updated.stdout).permissions, ['invoices:read']);

  const user = usher([
    'user',
    'create',
    '--username',
    'carol',
    '--email',
    'carol@example.com',
    '--password',
    'SecurePass123!',
  ]);
  assert.equal(user.status, 0, user.stderr);
  const set = usher(['user', 'roles', 'carol', '--role', 'billing', '--json']);
  assert.equal(set.status, 0, set.stderr);
  assert.deepEqual(
    JSON.parse(set.stdout).map((r: { id: string }) => r.id),
    [role.id],
  );
  assert.match(usher(['user', 'roles', 'carol']).stdout, /billing/);

  // Refused: an organization role for a user, an unknown role, a bad name, a scope change, no such user.
  assert.notEqual(usher(['user', 'roles', 'carol', '--role', 'owner']).status, 0);
  assert.notEqual(usher(['user', 'roles', 'carol', '--role', 'nope']).status, 0);
  assert.notEqual(usher(['role', 'add', '--name', 'has space']).status, 0);
  assert.notEqual(usher(['role', 'add']).status, 0);
  assert.notEqual(usher(['role', 'update', 'billing', '--scope', 'organization']).status, 0);
  assert.notEqual(usher(['user', 'roles', 'nobody']).status, 0);

  assert.equal(usher(['user', 'roles', 'carol', '--none']).status, 0);
  assert.match(usher(['user', 'roles', 'carol', '--json']).stdout, /^\[\]\s*$/);
  assert.equal(usher(['role', 'remove', 'billing']).status, 0);
  assert.notEqual(usher(['role', 'remove', 'billing']).status, 0);
  assert.deepEqual(
    JSON.parse(usher(['role', 'list', '--json']).stdout).map((r: { name: string }) => r.name),
    ['owner'],
  );
});
