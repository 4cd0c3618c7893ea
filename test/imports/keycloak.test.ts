import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { importHarness } from './harness.js';
import { PASSWORD_OF, keycloakArgon2, keycloakOtp, keycloakPbkdf2, keycloakUser } from './exports.js';

/**
 * `usher import --from keycloak`: a realm export written as `kc.sh export`
 * writes it, with real PBKDF2 and argon2 hashes and an OTP credential; every
 * user logs in over HTTP with the password Keycloak had, the TOTP from the
 * Keycloak secret works, and hostile files change nothing.
 */

const ID = (n: number) => `5f0c6a1e-2b3d-4c5e-8f9a-0b1c2d3e4f${String(n).padStart(2, '0')}`;
const OTP_TEXT = 'x7Qp2LmN9rTs4VwY6zAb'; // Keycloak keeps the secret as text; the key is its UTF-8 bytes.

test('keycloak: realm file and folder exports; PBKDF2 (SHA-1/256/512) and argon2 log in and become argon2id; TOTP works; suspended, service accounts, admins, usernames', async (t) => {
  const h = await importHarness(t);
  const users = [
    keycloakUser({
      id: ID(1),
      username: 'alice',
      email: 'alice@example.com',
      realmRoles: ['default-roles-acme', 'usher-admin'],
      credentials: [keycloakPbkdf2(PASSWORD_OF('alice'), 'pbkdf2-sha256'), keycloakOtp(OTP_TEXT)],
    }),
    keycloakUser({
      id: ID(2),
      username: 'bob@example.com',
      email: 'bob@example.com',
      credentials: [keycloakPbkdf2(PASSWORD_OF('bob'), 'pbkdf2-sha512', 30000)],
    }),
    keycloakUser({
      id: ID(3),
      username: 'carol',
      email: 'carol@example.com',
      credentials: [keycloakPbkdf2(PASSWORD_OF('carol'), 'pbkdf2', 20000)],
    }),
    keycloakUser({
      id: ID(4),
      username: 'dave',
      email: 'dave@example.com',
      credentials: [await keycloakArgon2(PASSWORD_OF('dave'))],
    }),
    keycloakUser({
      id: ID(5),
      username: 'erin',
      email: 'erin@example.com',
      enabled: false,
      credentials: [keycloakPbkdf2(PASSWORD_OF('erin'), 'pbkdf2-sha256')],
    }),
    keycloakUser({
      id: ID(6),
      username: 'service-account-api',
      email: 'sa@example.com',
      serviceAccountClientId: 'api',
    }),
  ];
  const realm = h.file('acme-realm.json', JSON.stringify({ id: 'acme', realm: 'acme', enabled: true, users }, null, 2));

  // A dry run reads everything and writes nothing.
  const dry = h.run(['--from', 'keycloak', realm, '--admin-role', 'usher-admin', '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(dry.json!.dry_run, true);
  assert.equal(dry.json!.created, 5);
  assert.deepEqual(dry.json!.skipped, { 'service accounts': 1 });
  assert.equal(await h.count(), 1, 'only the bootstrap admin');

  const done = h.run(['--from', 'keycloak', realm, '--admin-role', 'usher-admin']);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.json!.created, 5);
  assert.equal(done.json!.suspended, 1);
  assert.equal(done.json!.admins, 1);
  assert.equal(done.json!.totp, 1);
  assert.equal(done.json!.renamed, 1);
  assert.deepEqual(done.json!.renamed_first, [
    { line: (done.json!.renamed_first as { line: number }[])[0]!.line, from: 'bob@example.com', to: 'bob' },
  ]);

  // Ids kept; the disabled user is suspended; the realm role made an admin; no service account.
  assert.equal((await h.row('alice'))!.id, ID(1));
  assert.equal((await h.row('alice'))!.role, 'admin');
  assert.equal((await h.row('bob'))!.id, ID(2));
  assert.equal((await h.row('erin'))!.status, 'suspended');
  assert.equal(await h.row('service-account-api'), undefined);
  // The TOTP secret is sealed at rest, like every TOTP secret.
  assert.match((await h.row('alice'))!.mfa_secret!, /^sb1:/);

  for (const name of ['bob', 'carol', 'dave']) await h.logsIn(name, PASSWORD_OF(name));
  const api = await h.api();
  const suspended = await api.request('POST', '/api/v1/auth/login', {
    body: { username: 'erin', password: PASSWORD_OF('erin') },
  });
  assert.notEqual(suspended.status, 200);

  // alice: the password, then the code her authenticator app shows for the key Keycloak had.
  const first = await h.logsIn('alice', PASSWORD_OF('alice'));
  assert.equal(first.mfa_required, true);
  const base32 = new OTPAuth.Secret({ buffer: new TextEncoder().encode(OTP_TEXT).buffer as ArrayBuffer }).base32;
  const verified = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: first.mfa_token, code: await h.code(base32) },
  });
  assert.equal(verified.status, 200, verified.raw);

  // The folder form: the realm file without users and `-users-N.json` files, read in order.
  const dir = join(h.dir, 'export');
  mkdirSync(dir);
  writeFileSync(join(dir, 'beta-realm.json'), JSON.stringify({ realm: 'beta', enabled: true }));
  const more = [0, 1, 2].map((n) =>
    keycloakUser({
      id: ID(10 + n),
      username: `folder${n}`,
      email: `folder${n}@example.com`,
      credentials: [keycloakPbkdf2(PASSWORD_OF(`folder${n}`), 'pbkdf2-sha256', 1000)],
    }),
  );
  writeFileSync(join(dir, 'beta-users-0.json'), JSON.stringify({ realm: 'beta', users: more.slice(0, 2) }));
  writeFileSync(join(dir, 'beta-users-1.json'), JSON.stringify({ realm: 'beta', users: more.slice(2) }));
  const folder = h.run(['--from', 'keycloak', dir]);
  assert.equal(folder.status, 0, folder.stderr);
  assert.equal(folder.json!.created, 3);
  await h.logsIn('folder2', PASSWORD_OF('folder2'));
  assert.equal((await h.row('folder2'))!.id, ID(12));
});

test('keycloak: hostile files are refused with a clear message and nothing written (huge parameters, unsupported OTP, broken JSON, 200 MB on one line)', async (t) => {
  const h = await importHarness(t);
  const good = keycloakUser({
    id: ID(1),
    username: 'good',
    email: 'good@example.com',
    credentials: [keycloakPbkdf2('Pass-good-9x', 'pbkdf2-sha256', 1000)],
  });
  const huge = keycloakUser({
    id: ID(2),
    username: 'huge',
    email: 'huge@example.com',
    credentials: [
      {
        ...keycloakPbkdf2('x', 'pbkdf2-sha256', 1),
        credentialData: JSON.stringify({ hashIterations: 2_000_000_000, algorithm: 'pbkdf2-sha256' }),
      },
    ],
  });
  const sha256Otp = keycloakUser({
    id: ID(3),
    username: 'otp256',
    email: 'otp@example.com',
    credentials: [keycloakOtp('abcdefghijklmnopqrst', { algorithm: 'HmacSHA256' })],
  });
  const cases: Array<[string, string, RegExp]> = [
    [
      'huge.json',
      JSON.stringify({ users: [good, huge] }, null, 1),
      /line \d+: password_hash: PBKDF2 iterations 2000000000 is over 10000000/,
    ],
    ['otp.json', JSON.stringify({ users: [good, sha256Otp] }), /TOTP with HmacSHA256, 6 digits, 30 s is not supported/],
    [
      'broken.json',
      `${JSON.stringify({ users: [good] }).slice(0, -3)}`,
      /not valid JSON: the file ends inside a value/,
    ],
    ['garbage.json', '{"users": [{"id": tru}]}', /not valid JSON/],
    ['nousers.json', '{"realm": "x"}', /no "users" list/],
  ];
  for (const [name, text, why] of cases) {
    const r = h.run(['--from', 'keycloak', h.file(name, text)]);
    assert.equal(r.status, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, why, name);
    assert.match(r.stderr, /nothing was imported/, name);
  }
  // 200 MB on one line, written lazily: one user whose attribute never ends within the bound.
  const big = join(h.dir, 'big.json');
  const out = createWriteStream(big);
  out.write('{"realm":"x","users":[{"id":"1","username":"big","attributes":{"a":["');
  const block = Buffer.alloc(1024 * 1024, 'a');
  for (let i = 0; i < 200; i++) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end('"]}}]}', () => r()));
  const r = h.run(['--from', 'keycloak', big]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 1: the user that starts here is longer than 1 MiB/);
  assert.equal(await h.count(), 1, 'only the bootstrap admin');
});
