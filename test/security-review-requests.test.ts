import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { IDEMPOTENCY_KEYS_PER_CALLER } from '../src/core/idempotency.js';
import { PASSWORD, type TestApp, build, unique } from './helper.js';

/**
 * The second security review (issue 23), items 6, 7 and 17: what the
 * idempotency store keeps (no secret, no refusal, a bound per caller), and
 * oversized bodies answered with a 413 a client can read.
 */

const rows = (api: TestApp) => api.database.db.selectFrom('idempotency_keys').selectAll().execute();
const codeFor = (secret: string, at: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

test('item 6: a created API key is never stored for a retry; its replay answers the key without the secret, also after revocation', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const headers = { 'idempotency-key': unique('mint') };
  const body = { name: unique('ci') };
  const first = await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers, body });
  assert.equal(first.status, 201, first.raw);
  const secret: string = first.body.data.key;
  assert.match(secret, /^usk_/);
  assert.equal(first.headers['idempotent-secret-withheld'], undefined, 'the first answer shows the secret');

  const stored = await rows(api);
  assert.equal(stored.length, 1);
  assert.ok(!JSON.stringify(stored).includes(secret), 'the secret is not in idempotency_keys');
  assert.equal(JSON.parse(stored[0]!.body!).data.key, null);
  assert.equal(JSON.parse(stored[0]!.body!).data.id, first.body.data.id, 'what a retry needs is kept: which key was made');

  const replay = await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers, body });
  assert.equal(replay.status, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.headers['idempotent-secret-withheld'], 'data.key');
  assert.equal(replay.body.data.key, null);
  assert.deepEqual({ ...replay.body.data, key: secret }, first.body.data, 'the same key, the same answer but the secret');
  assert.ok(!replay.raw.includes(secret));
  assert.equal((await api.request('GET', '/api/v1/users', { apiKey: secret })).status, 200, 'the key itself works');

  assert.equal((await api.request('DELETE', `/api/v1/api-keys/${first.body.data.id}`, { token: admin.token })).status, 204);
  const afterRevoke = await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers, body });
  assert.equal(afterRevoke.status, 201);
  assert.equal(afterRevoke.body.data.key, null);
  assert.ok(!afterRevoke.raw.includes(secret), 'a revoked key is not shown again');
  const keys = await api.request('GET', '/api/v1/api-keys', { token: admin.token });
  assert.deepEqual(keys.body.data.map((k: { id: string }) => k.id), [first.body.data.id], 'retries minted no second key');
});

test('item 6: no route that answers a secret stores it, Idempotency-Key or not; every idempotent answer marks its secrets', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const u = await api.user();
  const { key } = await api.apiKey();
  const idem = () => ({ 'idempotency-key': unique('k') });
  const secrets: string[] = [key];
  const login = { username: u.username, password: PASSWORD };
  const answers = [
    await api.request('POST', '/api/v1/auth/login', { headers: idem(), body: login }),
    await api.request('POST', '/api/v1/auth/refresh', { headers: idem(), body: { refresh_token: u.refresh } }),
    await api.request('POST', '/api/login/', { headers: idem(), body: login }),
    await api.request('POST', '/v1/auth/login', { headers: { ...idem(), 'x-api-key': key }, body: login }),
    await api.request('POST', '/console/api/session', { headers: { ...idem(), 'x-usher-console': '1' }, body: { login: 'root_admin', password: PASSWORD } }),
    await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers: idem(), body: { name: unique('k') } }),
  ];
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: u.token, headers: idem(), body: { password: PASSWORD } });
  answers.push(setup, await api.request('POST', '/api/v1/auth/mfa/totp/confirm', { token: u.token, headers: idem(), body: { code: codeFor(setup.body.data.secret, api.clock.now()) } }));
  for (const answer of answers) {
    assert.ok(answer.status < 300, answer.raw);
    const found = JSON.stringify(answer.body).match(/"(?:access_token|refresh_token|token|key|secret|otpauth_url)":"[^"]+"|"recovery_codes":\[[^\]]+\]/g) ?? [];
    assert.ok(found.length > 0, `a secret in ${answer.raw}`);
    for (const field of found) secrets.push(...(JSON.parse(`{${field}}`) as Record<string, string | string[]>)[field.split('"')[1]!]!.toString().split(','));
  }
  const stored = JSON.stringify(await rows(api));
  for (const secret of secrets) assert.ok(!stored.includes(secret), `${secret.slice(0, 8)}... is not in idempotency_keys`);

  // Each idempotent operation's success answer marks every field named like a secret as shown once.
  const doc = (await api.request('GET', '/openapi.json')).body;
  const resolve = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const unmarked = (s: any, at: string): string[] => {
    s = resolve(s);
    if (!s || typeof s !== 'object' || s['x-secret']) return [];
    const parts = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((p: unknown) => unmarked(p, at));
    const props = Object.entries(s.properties ?? {}).flatMap(([name, p]) => {
      const marked = resolve(p)?.['x-secret'] === true;
      return [...(!marked && /^key$|token|secret|recovery|password/.test(name) ? [`${at}.${name}`] : []), ...unmarked(p, `${at}.${name}`)];
    });
    return [...parts, ...props, ...unmarked(s.items, `${at}[]`)];
  };
  let idempotent = 0;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op.parameters?.some((p: { name: string }) => p.name === 'Idempotency-Key')) continue;
      idempotent++;
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (status.startsWith('2')) assert.deepEqual(unmarked(response.content?.['application/json']?.schema, `${method} ${path}`), []);
      }
    }
  }
  assert.ok(idempotent >= 5, 'every creating POST was looked at');
});

test('item 7: refused requests are not stored (the key is free for the corrected request); only successes are', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const u = await api.user();
  const taken = await api.register();
  const key = { 'idempotency-key': unique('fix-me') };
  const fresh = unique();
  const refusals: Array<[string, Awaited<ReturnType<TestApp['request']>>, number]> = [
    ['no credential', await api.request('POST', '/api/v1/api-keys', { headers: key, body: { name: 'k' } }), 401],
    ['not an admin', await api.request('POST', '/api/v1/api-keys', { token: u.token, headers: key, body: { name: 'k' } }), 403],
    ['a bad field', await api.request('POST', '/api/v1/users', { headers: key, body: { username: fresh, email: 'not-an-address', password: PASSWORD } }), 400],
    ['a taken username', await api.request('POST', '/api/v1/users', { headers: key, body: { username: taken.username, email: `${fresh}@example.com`, password: PASSWORD } }), 409],
    ['a bad body', await api.request('POST', '/api/users/profiles', { token: admin.token, headers: key, body: { username: fresh } }), 400],
  ];
  for (const [what, answer, status] of refusals) assert.equal(answer.status, status, `${what}: ${answer.raw}`);
  assert.deepEqual(await rows(api), [], 'no refusal is kept');

  // The same key, now with a body that works: it runs (not 422 for another body), and only its success is kept.
  const ok = await api.request('POST', '/api/v1/users', { headers: key, body: { username: fresh, email: `${fresh}@example.com`, password: PASSWORD } });
  assert.equal(ok.status, 201, ok.raw);
  const kept = await rows(api);
  assert.equal(kept.length, 1);
  assert.equal(kept[0]!.status, 201);
  const retry = await api.request('POST', '/api/v1/users', { headers: key, body: { username: fresh, email: `${fresh}@example.com`, password: PASSWORD } });
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.equal(retry.raw, ok.raw);
});

test(`item 7: a caller keeps at most ${IDEMPOTENCY_KEYS_PER_CALLER} keys; each new one evicts its oldest, other callers keep theirs`, async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const other = await api.withRole('admin');
  const create = async (token: string, n: number) => {
    const username = unique('cap');
    const body = { username, email: `${username}@example.com` };
    const res = await api.request('POST', '/api/users/profiles', { token, headers: { 'idempotency-key': `cap-${n}` }, body });
    assert.equal(res.status, 201, res.raw);
    return body;
  };
  const oldest = await create(other.token, 0);
  const total = IDEMPOTENCY_KEYS_PER_CALLER + 5;
  for (let n = 0; n < total; n += 25) await Promise.all(Array.from({ length: Math.min(25, total - n) }, (_, i) => create(admin.token, n + i)));
  const stored = await rows(api);
  const byCaller = new Map<string, number>();
  for (const row of stored) byCaller.set(row.caller, (byCaller.get(row.caller) ?? 0) + 1);
  assert.deepEqual([...byCaller.values()].sort((a, b) => a - b), [1, IDEMPOTENCY_KEYS_PER_CALLER], 'the bound, and the other caller untouched');

  const newest = { 'idempotency-key': `cap-${total - 1}` };
  const replay = await api.request('POST', '/api/users/profiles', { token: admin.token, headers: newest, body: { username: 'different', email: 'different@example.com' } });
  assert.equal(replay.status, 422, 'the newest key is still held');
  const kept = await api.request('POST', '/api/users/profiles', { token: other.token, headers: { 'idempotency-key': 'cap-0' }, body: oldest });
  assert.equal(kept.headers['idempotent-replayed'], 'true', "another caller's keys are not evicted");
});
