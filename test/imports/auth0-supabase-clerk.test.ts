import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { auth0Rows } from '../../src/core/users/import-sources/auth0.js';
import { clerkRows } from '../../src/core/users/import-sources/clerk.js';
import { newReport } from '../../src/core/users/import-sources/shared.js';
import { supabaseRows } from '../../src/core/users/import-sources/supabase.js';
import { importHarness } from './harness.js';
import { PASSWORD_OF } from './exports.js';

/**
 * `usher import --from auth0|supabase|clerk`: each system's export as it
 * writes it, with bcrypt hashes made here (bcryptjs); logins over HTTP,
 * argon2id afterwards; blocked, banned and deleted users; metadata and ids.
 */

const bc = (name: string) => bcrypt.hashSync(PASSWORD_OF(name), 4);
const csv = (rows: string[][]) =>
  `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n')}\n`;

test('auth0: NDJSON and JSON array exports; passwordHash logs in; blocked users suspended; app_metadata admin; user_id is the external id', async (t) => {
  const h = await importHarness(t);
  const user = (name: string, extra: Record<string, unknown> = {}) => ({
    user_id: `auth0|${name}0123456789`,
    email: `${name}@example.com`,
    email_verified: true,
    username: name,
    given_name: name,
    family_name: 'Zero',
    created_at: '2023-05-01T10:00:00.000Z',
    last_login: '2024-01-01T10:00:00.000Z',
    user_metadata: { theme: 'dark' },
    app_metadata: { roles: ['staff'] },
    passwordHash: bc(name),
    ...extra,
  });
  const ndjson = h.file(
    'auth0.json',
    [user('ivan', { app_metadata: { roles: ['usher-admin'] } }), user('judy', { blocked: true }), user('kim.k')]
      .map((u) => JSON.stringify(u))
      .join('\n'),
  );
  const done = h.run(['--from', 'auth0', ndjson, '--admin-role', 'usher-admin']);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.json!.created, 3);
  assert.equal((await h.row('ivan'))!.role, 'admin');
  assert.equal((await h.row('judy'))!.status, 'suspended');
  assert.equal((await h.row('kim_k'))!.role, 'user', 'kim.k made a valid username');
  await h.logsIn('ivan', PASSWORD_OF('ivan'));
  await h.logsIn('kim_k', PASSWORD_OF('kim.k'));

  const array = h.file(
    'auth0-array.json',
    JSON.stringify([user('lena'), { ...user('mo'), user_id: 'google-oauth2|1234', passwordHash: undefined }], null, 2),
  );
  const arr = h.run(['--from', 'auth0', array]);
  assert.equal(arr.status, 0, arr.stderr);
  assert.equal(arr.json!.created, 2);
  await h.logsIn('lena', PASSWORD_OF('lena'));

  const rows = [];
  for await (const r of auth0Rows(array, { includeDeleted: false }, newReport()))
    rows.push(r.fields as Record<string, unknown>);
  assert.equal(rows[1]!.external_id, 'google-oauth2|1234');
  assert.deepEqual(rows[0]!.custom_data, { user_metadata: { theme: 'dark' }, app_metadata: { roles: ['staff'] } });
});

test('supabase: auth.users as CSV and as JSON lines; ids kept; banned_until in the future suspends; deleted skipped unless --include-deleted', async (t) => {
  const h = await importHarness(t);
  const ids = { nora: randomUUID(), omar: randomUUID(), pia: randomUUID(), quinn: randomUUID() };
  const header = [
    'instance_id',
    'id',
    'aud',
    'role',
    'email',
    'encrypted_password',
    'email_confirmed_at',
    'phone',
    'raw_app_meta_data',
    'raw_user_meta_data',
    'created_at',
    'last_sign_in_at',
    'banned_until',
    'deleted_at',
    'is_anonymous',
  ];
  const line = (name: keyof typeof ids, o: { banned?: string; deleted?: string; admin?: boolean } = {}) => [
    '00000000-0000-0000-0000-000000000000',
    ids[name],
    'authenticated',
    'authenticated',
    `${name}@example.com`,
    bc(name),
    '2024-01-02 10:11:12.123456+00',
    '15555550100',
    JSON.stringify({ provider: 'email', providers: ['email'], ...(o.admin && { role: 'usher-admin' }) }),
    JSON.stringify({ first_name: name }),
    '2024-01-01 09:00:00+00',
    '',
    o.banned ?? '',
    o.deleted ?? '',
    'false',
  ];
  const file = h.file(
    'users.csv',
    csv([
      header,
      line('nora', { admin: true }),
      line('omar', { banned: '2999-01-01 00:00:00+00' }),
      line('pia', { deleted: '2024-02-01 00:00:00+00' }),
      line('quinn', { banned: '2001-01-01 00:00:00+00' }),
    ]),
  );
  const done = h.run(['--from', 'supabase', file, '--admin-role', 'usher-admin']);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.json!.created, 3);
  assert.deepEqual(done.json!.skipped, { deleted: 1 });
  assert.equal((await h.row('nora'))!.id, ids.nora);
  assert.equal((await h.row('nora'))!.role, 'admin');
  assert.equal((await h.row('nora'))!.phone_number, '+15555550100');
  assert.equal((await h.row('omar'))!.status, 'suspended');
  assert.equal((await h.row('quinn'))!.status, 'active', 'a ban that ended');
  assert.equal(await h.row('pia'), undefined);
  await h.logsIn('nora', PASSWORD_OF('nora'));

  const jsonl = h.file(
    'users.jsonl',
    `${JSON.stringify(Object.fromEntries(header.map((k, i) => [k, line('pia', { deleted: '2024-02-01T00:00:00+00:00' })[i]])))}\n`,
  );
  const withDeleted = h.run(['--from', 'supabase', jsonl, '--include-deleted']);
  assert.equal(withDeleted.status, 0, withDeleted.stderr);
  assert.equal((await h.row('pia'))!.id, ids.pia);
  assert.equal((await h.row('pia'))!.status, 'suspended');

  const report = newReport();
  for await (const _ of supabaseRows(jsonl, { includeDeleted: false }, report, Date.now()))
    assert.fail('deleted users are skipped');
  assert.deepEqual(report.skipped, { deleted: 1 });
});

test('clerk: the dashboard CSV; bcrypt digests log in; other hashers refused per row; TOTP secret kept; public_metadata admin; user_ ids external', async (t) => {
  const h = await importHarness(t);
  const header = [
    'id',
    'first_name',
    'last_name',
    'username',
    'primary_email_address',
    'primary_phone_number',
    'verified_email_addresses',
    'unverified_email_addresses',
    'verified_phone_numbers',
    'unverified_phone_numbers',
    'totp_secret',
    'password_digest',
    'password_hasher',
    'public_metadata',
  ];
  const row = (name: string, o: { hasher?: string; totp?: string; meta?: object } = {}) => [
    `user_2${name}AbCdEfGh`,
    name,
    'Clerk',
    name,
    `${name}@example.com`,
    '',
    `${name}@example.com`,
    '',
    '',
    '',
    o.totp ?? '',
    bc(name),
    o.hasher ?? 'bcrypt',
    o.meta ? JSON.stringify(o.meta) : '',
  ];
  const totp = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const file = h.file(
    'clerk.csv',
    csv([
      header,
      row('rita', { meta: { role: 'usher-admin' }, totp }),
      row('sam'),
      row('tess', { hasher: 'scrypt_firebase' }),
    ]),
  );
  const refused = h.run(['--from', 'clerk', file]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /line 4: password_hasher scrypt_firebase is not supported/);
  assert.match(refused.stderr, /nothing was imported/);

  const done = h.run(['--from', 'clerk', file, '--admin-role', 'usher-admin', '--skip-invalid']);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.json!.created, 2);
  assert.equal(done.json!.rejected, 1);
  assert.equal((await h.row('rita'))!.role, 'admin');
  await h.logsIn('sam', PASSWORD_OF('sam'));
  const first = await h.logsIn('rita', PASSWORD_OF('rita'));
  assert.equal(first.mfa_required, true);
  const api = await h.api();
  const ok = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: first.mfa_token, code: await h.code(totp) },
  });
  assert.equal(ok.status, 200, ok.raw);

  const rows = [];
  for await (const r of clerkRows(file, { includeDeleted: false }, newReport()))
    rows.push(r.fields as Record<string, unknown>);
  assert.equal(rows[0]!.external_id, 'user_2ritaAbCdEfGh');
  assert.deepEqual(rows[0]!.custom_data, { public_metadata: { role: 'usher-admin' } });
});
