import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.js';
import {
  assertCanCreate,
  assertCanDelete,
  assertCanList,
  assertCanManageApiKeys,
  assertCanRead,
  assertCanTransferUsers,
  assertCanUpdate,
  selfOf,
} from './policy.js';
import { type Principal, type Role, type User, systemPrincipal } from './types.js';

const principal = (role: Role, userId = `${role}-id`): Principal => ({
  userId,
  role,
  sessionId: 's',
  apiKeyId: null,
  authAt: 0,
});
const user = (id: string, role: Role = 'user') => ({ id, role, status: 'active' }) as User;
const refused = (fn: () => void) =>
  assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'INSUFFICIENT_PERMISSIONS');

test('reading: self, moderators and admins', () => {
  assertCanRead(principal('user', 'a'), 'a');
  refused(() => assertCanRead(principal('user', 'a'), 'b'));
  assertCanRead(principal('moderator'), 'b');
  assertCanRead(principal('admin'), 'b');
  refused(() => assertCanList(principal('user')));
  assertCanList(principal('moderator'));
});

test('importing and exporting users: admins only (the system acts as one)', () => {
  refused(() => assertCanTransferUsers(principal('moderator')));
  assertCanTransferUsers(principal('admin'));
  assertCanTransferUsers(systemPrincipal());
});

test('creating: only admins set role, only admins and moderators set status', () => {
  assertCanCreate(null, {});
  refused(() => assertCanCreate(null, { role: 'user' }));
  refused(() => assertCanCreate(null, { status: 'active' }));
  refused(() => assertCanCreate(principal('moderator'), { role: 'user' }));
  assertCanCreate(principal('moderator'), { status: 'pending' });
  assertCanCreate(principal('admin'), { role: 'admin', status: 'active' });
});

test('updating: field groups by role', () => {
  const self = principal('user', 'a');
  assertCanUpdate(self, user('a'), { other: true });
  refused(() => assertCanUpdate(self, user('a'), { role: 'user', other: false }));
  refused(() => assertCanUpdate(self, user('a'), { status: 'active', other: false }));
  refused(() => assertCanUpdate(self, user('b'), { other: true }));
  const mod = principal('moderator');
  assertCanUpdate(mod, user('b'), { status: 'suspended', other: false });
  refused(() => assertCanUpdate(mod, user('b', 'admin'), { status: 'suspended', other: false }));
  refused(() => assertCanUpdate(mod, user('b'), { other: true }));
  refused(() => assertCanUpdate(mod, user('b'), { role: 'moderator', other: false }));
  assertCanUpdate(principal('admin'), user('b', 'admin'), { role: 'user', status: 'inactive', other: true });
});

test('deleting: self or admin, never an admin account', () => {
  assertCanDelete(principal('user', 'a'), user('a'));
  refused(() => assertCanDelete(principal('user', 'a'), user('b')));
  refused(() => assertCanDelete(principal('moderator'), user('b')));
  assertCanDelete(principal('admin'), user('b'));
  refused(() => assertCanDelete(principal('admin'), user('b', 'admin')));
  refused(() => assertCanDelete(principal('admin', 'x'), user('x', 'admin')));
});

test('an API key has no self: it acts only through its role, never as its creator', () => {
  const key = (role: Role): Principal => ({ userId: null, role, sessionId: null, apiKeyId: 'k', authAt: null });
  refused(() => assertCanRead(key('user'), 'creator'));
  refused(() => assertCanUpdate(key('user'), user('creator', 'admin'), { other: true }));
  refused(() => assertCanDelete(key('user'), user('creator')));
  refused(() => selfOf(key('admin')));
  refused(() => assertCanManageApiKeys(key('admin')));
  assertCanUpdate(key('admin'), user('b'), { other: true });
  assert.equal(assertCanManageApiKeys(principal('admin', 'x')), 'x');
});
