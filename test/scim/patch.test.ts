import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { applyOp, patchOps } from '../../src/core/scim/patch.js';
import { parseUser } from '../../src/core/scim/user-resource.js';
import { ENTERPRISE, PATCH } from './scim-helper.js';

const apply = (resource: Record<string, unknown>, Operations: unknown[]) => {
  for (const op of patchOps({ schemas: [PATCH], Operations })) applyOp(resource, op);
  return resource;
};
const base = () => ({
  userName: 'ada@x.example',
  name: { givenName: 'Ada', familyName: 'L' },
  emails: [{ value: 'ada@x.example', type: 'work', primary: true }],
  active: true,
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'm1' } },
});

test('PATCH: the forms Entra and Okta send', () => {
  const r = apply(base(), [
    { op: 'Replace', value: { 'name.givenName': 'Augusta', active: 'False' } },
    { op: 'Add', path: 'emails', value: [{ value: 'new@x.example', type: 'work', primary: true }] },
    { op: 'Remove', path: `${ENTERPRISE}:manager` },
    { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555' },
    { op: 'replace', path: 'name', value: { familyName: 'King' } },
  ]);
  const user = parseUser(r);
  assert.deepEqual(
    [user.givenName, user.familyName, user.active, user.email],
    ['Augusta', 'King', false, 'new@x.example'],
  );
  assert.deepEqual(user.enterprise, { department: 'R&D' });
  assert.deepEqual(user.extras.phoneNumbers, [{ type: 'work', value: '+1 555' }]);
});

test('PATCH: members removed by filter or by value list; malformed operations are SCIM 400s', () => {
  const group = { displayName: 'G', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
  apply(group, [{ op: 'Remove', path: 'members[value eq "a"]' }]);
  apply(group, [{ op: 'remove', path: 'members', value: [{ value: 'B' }] }]);
  assert.deepEqual(group.members, [{ value: 'c' }]);
  const scimTypes = (ops: unknown) => {
    try {
      for (const op of patchOps(ops)) applyOp(base(), op);
      return 'accepted';
    } catch (e) {
      assert.ok(e instanceof AppError);
      return e.details?.scimType;
    }
  };
  assert.equal(scimTypes({ Operations: [] }), 'invalidSyntax');
  assert.equal(scimTypes({ Operations: [{ op: 'move', path: 'x' }] }), 'invalidSyntax');
  assert.equal(scimTypes({ Operations: [{ op: 'remove' }] }), 'noTarget');
  assert.equal(scimTypes({ Operations: [{ op: 'add', path: 'emails[(', value: 'x' }] }), 'invalidPath');
  assert.equal(
    scimTypes({ Operations: [{ op: 'replace', path: 'emails[value co "z"].value', value: 'x' }] }),
    'noTarget',
  );
  assert.equal(scimTypes({ Operations: [{ op: 'replace', value: 'not an object' }] }), 'invalidValue');
  assert.equal(scimTypes({ Operations: Array.from({ length: 101 }, () => ({ op: 'remove', path: 'x' })) }), 'tooMany');
});
