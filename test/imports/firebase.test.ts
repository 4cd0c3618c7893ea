import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../scripts/fixtures.js';
import { firebaseRows } from '../../src/core/users/import-sources/firebase.js';
import { newReport } from '../../src/core/users/import-sources/shared.js';
import { importHarness } from './harness.js';
import { FIREBASE_VECTOR, PASSWORD_OF, firebaseScrypt } from './exports.js';

/**
 * `usher import --from firebase`: `firebase auth:export --format=json` with
 * Firebase's modified scrypt computed here (checked first against
 * firebase/scrypt's published vector), the project's parameters on the
 * command line; the signer key is sealed once in the settings, and every
 * user logs in with the password they had.
 */

test('the independent Firebase scrypt of these tests gives firebase/scrypt published hash', () => {
  assert.equal(firebaseScrypt(FIREBASE_VECTOR.password, FIREBASE_VECTOR), FIREBASE_VECTOR.hash);
});

test('firebase: auth:export users log in with their passwords and become argon2id; the signer key is sealed; disabled users suspended; claims make admins', async (t) => {
  const h = await importHarness(t);
  const project = { signerKey: randomBytes(64).toString('base64'), saltSeparator: 'Bw==', rounds: 8, memCost: 14 };
  const uuid = randomUUID();
  const user = (localId: string, name: string, extra: Record<string, unknown> = {}) => {
    const salt = randomBytes(12).toString('base64');
    return {
      localId,
      email: `${name}@example.com`,
      emailVerified: true,
      passwordHash: firebaseScrypt(PASSWORD_OF(name), { ...project, salt }),
      salt,
      displayName: `${name} Example`,
      lastSignedInAt: '1700000000000',
      createdAt: '1690000000000',
      providerUserInfo: [{ providerId: 'password', email: `${name}@example.com` }],
      ...extra,
    };
  };
  const users = [
    user('hK3t0qA9bYcZ1dE2fG3hI4jK5lM6', 'fiona', { customAttributes: '{"admin":true,"plan":"pro"}' }),
    user(uuid, 'gary'),
    user('zZ9y8X7w6V5u4T3s2R1q0P9o8N7m', 'hana', { disabled: true }),
  ];
  const file = h.file('users.json', JSON.stringify({ users }, null, 2));
  const flags = [
    '--hash-key',
    project.signerKey,
    '--salt-separator',
    project.saltSeparator,
    '--rounds',
    '8',
    '--mem-cost',
    '14',
  ];
  const missing = h.run(['--from', 'firebase', file]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /needs the project parameters \(--hash-key/);
  assert.equal(h.usher(['import', '--from', 'firebase', file, '--hash-key', project.signerKey]).status, 2);

  const done = h.run(['--from', 'firebase', file, ...flags, '--admin-role', 'admin']);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.json!.created, 3);
  assert.equal(done.json!.admins, 1);
  assert.equal((await h.row('fiona'))!.role, 'admin');
  assert.equal((await h.row('gary'))!.id, uuid, 'a UUID localId is the id');
  assert.equal((await h.row('hana'))!.status, 'suspended');
  // The signer key: sealed once in the settings; the hashes only name it.
  const settings = await (await h.api()).database.db.selectFrom('settings').selectAll().execute();
  const kept = settings.filter((s) => s.name.startsWith('foreign-key:'));
  assert.equal(kept.length, 1);
  assert.match(kept[0]!.value, /^sb1:/);
  assert.ok(!(await h.row('fiona'))!.password_hash!.includes(project.signerKey));
  for (const name of ['fiona', 'gary']) await h.logsIn(name, PASSWORD_OF(name));
});

test('firebase reader: a localId that is not a UUID is the external id; customAttributes are the custom data', async () => {
  const file = join(tempDir('fb-'), 'users.json');
  writeFileSync(
    file,
    JSON.stringify({ users: [{ localId: 'abcDEF123', email: 'x@example.com', customAttributes: '{"plan":"pro"}' }] }),
  );
  const rows = [];
  for await (const row of firebaseRows(file, { includeDeleted: false }, newReport())) rows.push(row);
  assert.equal(rows.length, 1);
  assert.equal((rows[0]!.fields as Record<string, unknown>).external_id, 'abcDEF123');
  assert.deepEqual((rows[0]!.fields as Record<string, unknown>).custom_data, { plan: 'pro' });
  assert.equal((rows[0]!.fields as Record<string, unknown>).id, undefined);
});
