import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { FetchLike, Tokens } from 'user-management-api-client';
import { type PostgresSchema, freshPostgresSchema } from '../../scripts/fixtures.js';
import { type Server, call, startServer } from '../support/servers.js';

/**
 * The TypeScript SDK (packages/client) against real Usher processes, imported
 * by its package name as users import it: from the built dist/.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'packages/client/dist/index.js');
const SRC = join(ROOT, 'packages/client/src');
if (!existsSync(DIST))
  throw new Error(
    'packages/client/dist/index.js is missing: run `npm run build` (npm ci runs it) before the SDK tests',
  );
if (readdirSync(SRC).some((f) => statSync(join(SRC, f)).mtimeMs > statSync(DIST).mtimeMs)) {
  throw new Error('packages/client/dist is older than packages/client/src: run `npm run build` before the SDK tests');
}
const {
  default: UserManagementClient,
  UsherApiError,
  readAnswer,
  AUDIT_EVENT_TYPES,
  USER_ROLES,
  USER_STATUSES,
} = await import('user-management-api-client');

const PASSWORD = 'SecurePass123!';
const unique = (prefix = 'sdk') => `${prefix}_${randomBytes(4).toString('hex')}`;
const ADMIN = { USHER_ADMIN_USERNAME: 'admin', USHER_ADMIN_EMAIL: 'admin@example.com', USHER_ADMIN_PASSWORD: PASSWORD };

let server: Server;
/** Access tokens live 2 seconds here, for the refresh tests. */
let shortLived: Server;
const schemas: PostgresSchema[] = [];
let baseURL: string;
let admin: InstanceType<typeof UserManagementClient>;
let keyed: InstanceType<typeof UserManagementClient>;

async function databaseUrl(): Promise<string> {
  if (process.env.USHER_TEST_DIALECT !== 'postgres') return 'sqlite::memory:';
  if (!process.env.TEST_DATABASE_URL) throw new Error('USHER_TEST_DIALECT=postgres needs TEST_DATABASE_URL');
  const schema = await freshPostgresSchema(process.env.TEST_DATABASE_URL, 'sdk');
  schemas.push(schema);
  return schema.url;
}

/** A fetch that records each exchange (path relative to /api/v1, query, status, JSON body sent). */
function recorder() {
  const calls: { method: string; path: string; query: URLSearchParams; status: number; body: any }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const { pathname, searchParams } = new URL(url);
    calls.push({
      method: init.method ?? 'GET',
      path: pathname.replace('/api/v1', ''),
      query: searchParams,
      status: response.status,
      body,
    });
    return response;
  };
  return { calls, fetch, count: (path: string) => calls.filter((c) => c.path === path).length };
}

/** Waits until the access token of `tokens` has expired. */
async function outlive(tokens: Tokens): Promise<void> {
  const { exp } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
  };
  await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 100));
}

before(async () => {
  const common = { ...ADMIN, USHER_RATE_LIMIT: 'off', USHER_REAUTH_WINDOW: '3600' };
  [server, shortLived] = await Promise.all([
    databaseUrl().then((url) => startServer({ ...common, DATABASE_URL: url })),
    // No reuse grace: a rotated refresh token sent again at once is refused (the refused-refresh test below).
    databaseUrl().then((url) =>
      startServer({ ...common, DATABASE_URL: url, USHER_ACCESS_TOKEN_TTL: '2', USHER_REFRESH_REUSE_GRACE: '0' }),
    ),
  ]);
  baseURL = `${server.base}/api/v1/`;
  admin = new UserManagementClient({ baseURL, username: 'admin', password: PASSWORD });
  keyed = new UserManagementClient({ baseURL, apiKey: (await admin.apiKeys.create({ name: 'sdk tests' })).key! });
});

after(async () => {
  await Promise.all([server?.stop(), shortLived?.stop()]);
  await Promise.all(schemas.map((s) => s.drop()));
});

test('the sample of the spec runs as written, in plain Node, with an API key', async () => {
  const sample = `
    import UserManagementClient from 'user-management-api-client';
    const client = new UserManagementClient({ baseURL: process.env.USHER_BASE, apiKey: process.env.USHER_KEY });
    try {
      const user = await client.users.create({ username: 'bob_builder', email: 'bob@example.com', password: 'SecurePass123!', first_name: 'Bob', last_name: 'Builder' });
      console.log('User created:', user.id);
      const userId = user.id;
      const u = await client.users.get(userId);
      const updates = { first_name: 'Robert', bio: 'Can we fix it?' };
      const u2 = await client.users.update(userId, updates);
      console.log('Updated:', u.first_name, u2.first_name, u2.last_name, u2.bio);
      const response = await client.users.list({ page: 1, limit: 20, status: 'active' });
      console.log('Total users:', response.pagination.total);
      console.log('Users:', response.data);
    } catch (error) {
      console.error('Error:', error.message);
    }`;
  const key = (await admin.apiKeys.create({ name: 'sample' })).key!;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', sample], {
    cwd: ROOT,
    env: { ...process.env, USHER_BASE: baseURL, USHER_KEY: key },
  });
  assert.equal(stderr, '');
  const id = /^User created: (\S+)$/m.exec(stdout)?.[1];
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  // PUT replaces: the omitted last_name is cleared.
  assert.match(stdout, /^Updated: Bob Robert null Can we fix it\?$/m);
  const total = Number(/^Total users: (\d+)$/m.exec(stdout)?.[1]);
  assert.ok(total >= 2, stdout);
  assert.match(stdout, /username: 'bob_builder'/);

  // The same calls typed, in-process.
  const list = await keyed.users.list({ page: 1, limit: 20, status: 'active' });
  assert.equal(list.pagination.total, total);
  assert.equal(list.pagination.page, 1);
  assert.ok(list.data.some((u) => u.id === id && u.first_name === 'Robert'));
  assert.equal(Object.keys(list).sort().join(), 'data,pagination');
  assert.equal((await keyed.users.get(id!)).username, 'bob_builder');
});

test('a username/password client logs in once, lazily, shared by concurrent calls; an email is sent as email', async () => {
  const rec = recorder();
  const client = new UserManagementClient({
    baseURL,
    username: 'admin@example.com',
    password: PASSWORD,
    fetch: rec.fetch,
  });
  assert.equal(rec.calls.length, 0, 'nothing is sent before the first call');
  const page = await Promise.all([1, 2, 3].map(() => client.users.list({ limit: 1 })));
  assert.equal(rec.count('/auth/login'), 1);
  assert.deepEqual(rec.calls[0]!.body, { email: 'admin@example.com', password: PASSWORD });
  const me = await client.users.get(page[0]!.data[0]!.id);
  assert.equal(me.id, page[0]!.data[0]!.id);
  assert.equal(rec.count('/auth/login'), 1);
});

test('an access-token client sends it as Bearer; a registered user logs in with auth.login', async () => {
  const anonymous = new UserManagementClient({ baseURL });
  const username = unique();
  const created = await anonymous.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  assert.equal(created.role, 'user');
  const tokens = await anonymous.auth.login({ username, password: PASSWORD });
  assert.ok('access_token' in tokens);
  const client = new UserManagementClient({ baseURL, accessToken: tokens.access_token });
  assert.equal((await client.users.get(created.id)).username, username);
  const patched = await client.users.patch(created.id, { bio: 'hello' });
  assert.equal(patched.bio, 'hello');
  // The anonymous client now holds the tokens too.
  assert.equal((await anonymous.users.get(created.id)).id, created.id);
});

test('errors are UsherApiError with the server status, code, message and details; network errors propagate as they are', async () => {
  const missing = await keyed.users.get('0190a000-0000-7000-8000-000000000000').catch((e: unknown) => e);
  assert.ok(missing instanceof UsherApiError);
  assert.ok(missing instanceof Error);
  assert.equal(missing.name, 'UsherApiError');
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'RESOURCE_NOT_FOUND');
  assert.match(missing.requestId ?? '', /.+/);

  const invalid = await keyed.users
    .create({ username: unique(), email: 'not-an-email', password: PASSWORD })
    .catch((e: unknown) => e);
  assert.ok(invalid instanceof UsherApiError);
  assert.equal(invalid.status, 400);
  assert.equal(invalid.code, 'VALIDATION_ERROR');
  assert.ok(invalid.details.email, JSON.stringify(invalid.details));
  // error.message is the server's message, word for word.
  const raw = await call(server.base, 'POST', '/api/v1/users', {
    body: { username: unique(), email: 'not-an-email', password: PASSWORD },
  });
  assert.equal(invalid.message, raw.body.error.message);

  const wrong = await new UserManagementClient({ baseURL, username: 'admin', password: 'Wrong-Password-1' }).users
    .list()
    .catch((e: unknown) => e);
  assert.ok(wrong instanceof UsherApiError);
  assert.equal(wrong.status, 401);

  const proxy = new UserManagementClient({
    baseURL,
    apiKey: 'k',
    fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
  });
  const gateway = await proxy.users.list().catch((e: unknown) => e);
  assert.ok(gateway instanceof UsherApiError);
  assert.deepEqual([gateway.status, gateway.code, gateway.message], [502, 'HTTP_ERROR', 'HTTP 502 Bad Gateway']);

  const down = new TypeError('fetch failed');
  const offline = new UserManagementClient({ baseURL, apiKey: 'k', fetch: async () => Promise.reject(down) });
  assert.equal(await offline.users.list().catch((e: unknown) => e), down);
});

test('an expired access token is refreshed once for concurrent calls, each retried once; the new tokens are reported', async () => {
  const base = `${shortLived.base}/api/v1`;
  const rec = recorder();
  const seen: Tokens[] = [];
  const client = new UserManagementClient({
    baseURL: base,
    username: 'admin',
    password: PASSWORD,
    fetch: rec.fetch,
    onTokens: (t) => seen.push(t),
  });
  const { data } = await client.users.list({ limit: 1 });
  assert.equal(seen.length, 1);
  await outlive(seen[0]!);

  rec.calls.length = 0;
  const users = await Promise.all([1, 2, 3].map(() => client.users.get(data[0]!.id)));
  assert.ok(users.every((u) => u.id === data[0]!.id));
  assert.equal(rec.count('/auth/refresh'), 1, JSON.stringify(rec.calls));
  assert.deepEqual(
    rec.calls
      .filter((c) => c.path !== '/auth/refresh')
      .map((c) => c.status)
      .sort(),
    [200, 200, 200, 401, 401, 401],
  );
  assert.equal(rec.calls.find((c) => c.path === '/auth/refresh')!.body.refresh_token, seen[0]!.refresh_token);
  assert.equal(seen.length, 2);
  assert.notEqual(seen[1]!.refresh_token, seen[0]!.refresh_token, 'the rotated refresh token is reported');
  assert.equal(rec.count('/auth/login'), 0);
});

test('a client given only tokens refreshes an expired one; when the refresh is refused, the call throws after one try', async () => {
  const base = `${shortLived.base}/api/v1`;
  const tokens = (await new UserManagementClient({ baseURL: base }).auth.login({
    username: 'admin',
    password: PASSWORD,
  })) as Tokens;
  await outlive(tokens);
  const rec = recorder();
  const client = new UserManagementClient({
    baseURL: base,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    fetch: rec.fetch,
  });
  assert.equal((await client.users.list({ limit: 1 })).data.length, 1);
  assert.deepEqual(
    rec.calls.map((c) => [c.path, c.status]),
    [
      ['/users', 401],
      ['/auth/refresh', 200],
      ['/users', 200],
    ],
  );

  const stale = recorder();
  // The refresh token above was rotated: presenting it again is refused.
  const refused = new UserManagementClient({
    baseURL: base,
    accessToken: 'not-a-token',
    refreshToken: tokens.refresh_token,
    fetch: stale.fetch,
  });
  const error = await refused.users.list().catch((e: unknown) => e);
  assert.ok(error instanceof UsherApiError);
  assert.equal(error.status, 401);
  assert.deepEqual(
    stale.calls.map((c) => [c.path, c.status]),
    [
      ['/users', 401],
      ['/auth/refresh', 401],
    ],
  );
});

test('users.iterate walks every page by cursor, each user once', async () => {
  const tag = unique('walk');
  const made = await Promise.all(
    Array.from({ length: 7 }, (_, i) =>
      keyed.users.create({ username: `${tag}_${i}`, email: `${tag}_${i}@example.com`, password: PASSWORD }),
    ),
  );
  const rec = recorder();
  const client = new UserManagementClient({
    baseURL,
    apiKey: (await admin.apiKeys.create({ name: 'walker' })).key!,
    fetch: rec.fetch,
  });
  const seen: string[] = [];
  for await (const user of client.users.iterate({ search: tag, limit: 2, sort: 'username', order: 'asc' }))
    seen.push(user.username);
  assert.deepEqual(seen, made.map((u) => u.username).sort());
  // Four pages of 2, 2, 2 and 1: the first without a cursor, each next one with the cursor of the one before.
  assert.deepEqual(
    rec.calls.map((c) => [c.path, c.query.get('limit'), c.query.has('cursor'), c.query.has('page')]),
    [
      ['/users', '2', false, false],
      ['/users', '2', true, false],
      ['/users', '2', true, false],
      ['/users', '2', true, false],
    ],
  );
});

test('users.patch, delete and restore', async () => {
  const username = unique();
  const user = await keyed.users.create({
    username,
    email: `${username}@example.com`,
    password: PASSWORD,
    last_name: 'Kept',
  });
  const patched = await keyed.users.patch(user.id, { first_name: 'Pat' });
  assert.deepEqual([patched.first_name, patched.last_name], ['Pat', 'Kept']);
  assert.equal(await keyed.users.delete(user.id), undefined);
  const deleted = await keyed.users.list({ status: 'deleted', search: username });
  assert.deepEqual(
    deleted.data.map((u) => u.id),
    [user.id],
  );
  const restored = await admin.users.restore(user.id);
  assert.equal(restored.status, 'active');
});

test('apiKeys.create, list and revoke (admins); a revoked key is refused', async () => {
  const created = await admin.apiKeys.create({ name: 'short-lived', role: 'moderator' });
  assert.match(created.key!, /.{20,}/);
  assert.equal(created.role, 'moderator');
  const listed = await admin.apiKeys.list();
  const entry = listed.find((k) => k.id === created.id);
  assert.ok(entry);
  assert.equal('key' in entry, false, 'the secret is never listed');
  const client = new UserManagementClient({ baseURL, apiKey: created.key! });
  assert.ok((await client.users.list({ limit: 1 })).pagination.total >= 1);
  // A key cannot manage keys.
  assert.equal(
    ((await client.apiKeys.list().catch((e: unknown) => e)) as InstanceType<typeof UsherApiError>).status,
    403,
  );
  await admin.apiKeys.revoke(created.id);
  const refused = await client.users.list().catch((e: unknown) => e);
  assert.ok(refused instanceof UsherApiError);
  assert.equal(refused.status, 401);
});

test('organizations.scimTokens.create, list and revoke: the token works at /scim/v2 until revoked, shown once', async () => {
  const org = await admin.organizations.create({ name: unique('Scim Org') });
  const created = await admin.organizations.scimTokens.create(org.id, { name: 'Entra ID' });
  assert.equal(created.organization_id, org.id);
  assert.ok(created.token?.startsWith(created.prefix), 'the prefix is the start of the token');
  const scim = () =>
    fetch(`${server.base}/scim/v2/Users`, { headers: { authorization: `Bearer ${created.token}` } }).then(
      (r) => r.status,
    );
  assert.equal(await scim(), 200);
  const listed = await admin.organizations.scimTokens.list(org.id);
  assert.deepEqual(
    listed.map((t) => [t.id, t.name, t.revoked_at]),
    [[created.id, 'Entra ID', null]],
  );
  assert.equal('token' in listed[0]!, false, 'the secret is never listed');
  await admin.organizations.scimTokens.revoke(org.id, created.id);
  assert.equal(await scim(), 401);
  assert.ok((await admin.organizations.scimTokens.list(org.id))[0]!.revoked_at);
  const missing = await admin.organizations.scimTokens.revoke(org.id, created.id.replace(/.$/, '0')).catch((e) => e);
  assert.ok(missing instanceof UsherApiError);
  assert.equal(missing.status, 404);
});

test('auth.logout ends the session: its tokens are refused afterwards, and the client holds none', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const seen: Tokens[] = [];
  const client = new UserManagementClient({ baseURL, username, password: PASSWORD, onTokens: (t) => seen.push(t) });
  await client.users.get(user.id);
  await client.auth.logout();
  const stolen = new UserManagementClient({
    baseURL,
    accessToken: seen[0]!.access_token,
    refreshToken: seen[0]!.refresh_token,
  });
  const error = await stolen.users.get(user.id).catch((e: unknown) => e);
  assert.ok(error instanceof UsherApiError);
  assert.equal(error.status, 401);
  await client.auth.logout(); // holds nothing: nothing to do
  await assert.rejects(client.auth.refresh(), TypeError);
});

test('a login with a second factor answers the challenge; auth.verifyMfa finishes it', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const token = ((await new UserManagementClient({ baseURL }).auth.login({ username, password: PASSWORD })) as Tokens)
    .access_token;
  // Turning TOTP on is not the SDK's business: straight HTTP.
  const setup = await call(server.base, 'POST', '/api/v1/auth/mfa/totp', { token, body: { password: PASSWORD } });
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.data.secret) }).generate();
  const confirmed = await call(server.base, 'POST', '/api/v1/auth/mfa/totp/confirm', { token, body: { code } });
  assert.equal(confirmed.status, 200);

  const client = new UserManagementClient({ baseURL });
  const challenge = await client.auth.login({ username, password: PASSWORD });
  assert.ok('mfa_required' in challenge && challenge.mfa_required);
  const tokens = await client.auth.verifyMfa({
    mfa_token: challenge.mfa_token,
    recovery_code: confirmed.body.data.recovery_codes[0],
  });
  assert.equal(typeof tokens.access_token, 'string');
  assert.equal((await client.users.get(user.id)).mfa_enabled, true);

  // A username/password client cannot answer a challenge by itself: it says how to.
  const lazy = new UserManagementClient({ baseURL, username, password: PASSWORD });
  await assert.rejects(lazy.users.get(user.id), /verifyMfa/);
});

test('users.getWithETag and patchWithETag carry the ETag; ifMatch on patch and update refuses a write over a newer version (412)', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const read = await admin.users.getWithETag(user.id);
  assert.equal(read.user.id, user.id);
  const raw = await fetch(`${baseURL}users/${user.id}`, {
    headers: { 'x-api-key': (await admin.apiKeys.create({ name: 'etag reader' })).key! },
  });
  assert.equal(read.etag, raw.headers.get('etag'), 'the ETag is the header, as the server sent it');

  const saved = await admin.users.patchWithETag(user.id, { bio: 'first' }, { ifMatch: read.etag });
  assert.equal(saved.user.bio, 'first');
  assert.ok(saved.etag && saved.etag !== read.etag, 'a write answers the new version');

  // The version read before that write is no longer current: every write with it is refused, and changes nothing.
  for (const write of [
    () => admin.users.patch(user.id, { bio: 'lost' }, { ifMatch: read.etag }),
    () => admin.users.patchWithETag(user.id, { bio: 'lost' }, { ifMatch: read.etag }),
    () => admin.users.update(user.id, { email: user.email, bio: 'lost' }, { ifMatch: read.etag }),
  ]) {
    const stale = await write().catch((e: unknown) => e);
    assert.ok(stale instanceof UsherApiError);
    assert.deepEqual([stale.status, stale.code], [412, 'PRECONDITION_FAILED']);
  }
  assert.equal((await admin.users.get(user.id)).bio, 'first');

  const replaced = await admin.users.update(user.id, { email: user.email, bio: 'second' }, { ifMatch: saved.etag });
  assert.equal(replaced.bio, 'second');
  // No ifMatch (or null): the write applies to the current version, as before.
  assert.equal((await admin.users.patch(user.id, { bio: 'third' }, { ifMatch: null })).bio, 'third');
});

test('users.resetMfa turns a lost second factor off (admins)', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const token = ((await new UserManagementClient({ baseURL }).auth.login({ username, password: PASSWORD })) as Tokens)
    .access_token;
  const setup = await call(server.base, 'POST', '/api/v1/auth/mfa/totp', { token, body: { password: PASSWORD } });
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.data.secret) }).generate();
  assert.equal(
    (await call(server.base, 'POST', '/api/v1/auth/mfa/totp/confirm', { token, body: { code } })).status,
    200,
  );
  assert.equal((await admin.users.get(user.id)).mfa_enabled, true);

  assert.equal(await admin.users.resetMfa(user.id), undefined);
  assert.equal((await admin.users.get(user.id)).mfa_enabled, false);
  const tokens = await new UserManagementClient({ baseURL }).auth.login({ username, password: PASSWORD });
  assert.ok('access_token' in tokens, 'the password alone signs in again');
});

test('auth.requestPasswordReset answers alike for any address, with the client credential when it has one', async () => {
  const username = unique();
  await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const rec = recorder();
  const client = new UserManagementClient({ baseURL, username: 'admin', password: PASSWORD, fetch: rec.fetch });
  assert.equal(await client.auth.requestPasswordReset(`${username}@example.com`), undefined);
  assert.equal(await client.auth.requestPasswordReset(`nobody_${username}@example.com`), undefined);
  const resets = rec.calls.filter((c) => c.path === '/auth/password-reset/request');
  assert.deepEqual(
    resets.map((c) => [c.status, c.body.email]),
    [
      [202, `${username}@example.com`],
      [202, `nobody_${username}@example.com`],
    ],
  );
  assert.equal(rec.count('/auth/login'), 1, 'the client signed in to send them');
  // No SMTP here: the server logs each mail instead. Only the account's address gets one.
  const mailed = (to: string) => server.output().includes(`"to":"${to}"`);
  for (let i = 0; i < 50 && !mailed(`${username}@example.com`); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(mailed(`${username}@example.com`));
  assert.equal(mailed(`nobody_${username}@example.com`), false);
});

test('sessions.list, revoke and revokeAll: an admin sees and ends a user’s sessions', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  const devices = [1, 2, 3].map(() => {
    const seen: Tokens[] = [];
    return {
      seen,
      client: new UserManagementClient({ baseURL, username, password: PASSWORD, onTokens: (t) => seen.push(t) }),
    };
  });
  for (const d of devices) await d.client.users.get(user.id);

  const listed = await admin.sessions.list(user.id);
  assert.equal(listed.data.length, 3);
  assert.equal(Object.keys(listed).sort().join(), 'data,pagination');
  assert.equal(listed.pagination.next_cursor, null);
  assert.ok(listed.data.every((s) => s.current === false && typeof s.expires_at === 'string'));
  const first = await admin.sessions.list(user.id, { limit: 2 });
  assert.equal(first.data.length, 2);
  const rest = await admin.sessions.list(user.id, { limit: 2, cursor: first.pagination.next_cursor! });
  assert.deepEqual(
    [...first.data, ...rest.data].map((s) => s.id),
    listed.data.map((s) => s.id),
  );

  // The newest session is the last device's: ending it refuses that device's refresh token.
  assert.equal(await admin.sessions.revoke(user.id, listed.data[0]!.id), undefined);
  assert.deepEqual(
    (await admin.sessions.list(user.id)).data.map((s) => s.id),
    listed.data.slice(1).map((s) => s.id),
  );
  const ended = await devices[2]!.client.auth.refresh().catch((e: unknown) => e);
  assert.ok(ended instanceof UsherApiError);
  assert.equal(ended.status, 401);

  assert.equal(await admin.sessions.revokeAll(user.id), undefined);
  assert.equal((await admin.sessions.list(user.id)).data.length, 0);
  const plain = await devices[0]!.client.sessions.list(user.id).catch((e: unknown) => e);
  assert.ok(plain instanceof UsherApiError, 'only admins list another user’s sessions');
});

test('auditEvents.list filters and pages the trail; the SDK lists the enum values it offers as choices', async () => {
  const username = unique();
  const user = await keyed.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  await admin.users.patch(user.id, { status: 'suspended' });
  await admin.users.patch(user.id, { status: 'active' });

  const about = await admin.auditEvents.list({ target_id: user.id });
  assert.equal(Object.keys(about).sort().join(), 'data,pagination');
  assert.deepEqual(
    about.data.map((e) => e.type),
    ['user.status_changed', 'user.status_changed', 'user.created'],
    'newest first',
  );
  assert.ok(about.data.every((e) => e.target_id === user.id && AUDIT_EVENT_TYPES.includes(e.type)));
  const created = await admin.auditEvents.list({ target_id: user.id, type: 'user.created' });
  assert.deepEqual(
    created.data.map((e) => e.type),
    ['user.created'],
  );
  const page = await admin.auditEvents.list({ target_id: user.id, limit: 2 });
  const next = await admin.auditEvents.list({ target_id: user.id, limit: 2, cursor: page.pagination.next_cursor! });
  assert.deepEqual(
    [...page.data, ...next.data].map((e) => e.id),
    about.data.map((e) => e.id),
  );
  assert.equal(next.pagination.next_cursor, null);

  const openapi = (await call(server.base, 'GET', '/openapi.json')).body;
  const schemas = openapi.components.schemas;
  assert.deepEqual(AUDIT_EVENT_TYPES, schemas.ApiV1AuditEvent.properties.type.enum);
  assert.deepEqual(USER_ROLES, ['admin', 'moderator', 'user']);
  assert.deepEqual(USER_STATUSES, ['active', 'inactive', 'suspended', 'pending']);
});

test('readAnswer reads an answer the client did not fetch itself as the client would', async () => {
  assert.equal(await readAnswer(new Response(null, { status: 204 })), undefined);
  const health = await readAnswer<{ status: string }>(await fetch(`${server.base}/health`));
  assert.equal(typeof health, 'object');
  const refused = await readAnswer(await fetch(`${baseURL}users`)).catch((e: unknown) => e);
  assert.ok(refused instanceof UsherApiError);
  assert.equal(refused.status, 401);
  assert.equal(refused.code, 'AUTHENTICATION_REQUIRED');
});
