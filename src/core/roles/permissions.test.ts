import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import { allPermissions, effectivePermissions } from './permissions.js';
import { checkRoleName, normalPermissions } from './role.rules.js';

test('effective permissions: the global roles, and a member organization roles only', () => {
  const global = [
    { name: 'writer', permissions: ['posts:write', 'posts:read'] },
    { name: 'reader', permissions: ['posts:read'] },
  ];
  const plain = effectivePermissions({ global });
  assert.deepEqual(plain, { roles: ['reader', 'writer'], permissions: ['posts:read', 'posts:write'] });
  const org = { id: 'o1', member: true, roles: [{ name: 'owner', permissions: ['billing:manage', 'posts:read'] }] };
  const inOrg = effectivePermissions({ global, organization: org });
  assert.deepEqual(inOrg.organization, { id: 'o1', roles: ['owner'], permissions: ['billing:manage', 'posts:read'] });
  assert.deepEqual(allPermissions(inOrg), ['billing:manage', 'posts:read', 'posts:write']);
  // Not a member: nothing of the organization counts, whatever rows came back.
  const outside = effectivePermissions({ global, organization: { ...org, member: false } });
  assert.equal(outside.organization, undefined);
  assert.deepEqual(allPermissions(outside), ['posts:read', 'posts:write']);
});

test('role rules: names and permissions', () => {
  assert.deepEqual(normalPermissions(['b:x', 'a:y', 'b:x', 'reports:*', 'api/v1:read']), [
    'a:y',
    'api/v1:read',
    'b:x',
    'reports:*',
  ]);
  // 100 distinct after deduplication is the limit, not 100 given.
  assert.equal(normalPermissions([...Array.from({ length: 100 }, (_, i) => `p:${i}`), 'p:0']).length, 100);
  for (const bad of [
    ['has space'],
    [''],
    ['x'.repeat(129)],
    ['é:read'],
    Array.from({ length: 101 }, (_, i) => `p:${i}`),
  ])
    assert.throws(() => normalPermissions(bad), AppError);
  for (const ok of ['admin', 'billing.team:lead', 'a-b_c']) assert.doesNotThrow(() => checkRoleName(ok));
  for (const bad of ['', 'a b', 'x'.repeat(65), 'ünï', 'a/b']) assert.throws(() => checkRoleName(bad), AppError);
});
