import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { IDEMPOTENCY_KEYS_PER_CALLER } from '../../src/core/idempotency.js';
import { PASSWORD, type TestApp, build, freshDatabaseUrl, unique } from '../support/helper.js';
import { startServer } from '../support/servers.js';

/**
 * The second security review (issue 23), items 6, 7 and 17: what the
 * idempotency store keeps (no secret, no refusal, a bound per caller), and
 * oversized bodies answered with a 413 a client can read.
 */

const rows = (api: TestApp) => api.database.db.selectFrom('idempotency_keys').selectAll().execute();
const codeFor = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

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
  assert.equal(
    JSON.parse(stored[0]!.body!).data.id,
    first.body.data.id,
    'what a retry needs is kept: which key was made',
  );

  const replay = await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers, body });
  assert.equal(replay.status, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.headers['idempotent-secret-withheld'], 'data.key');
  assert.equal(replay.body.data.key, null);
  assert.deepEqual(
    { ...replay.body.data, key: secret },
    first.body.data,
    'the same key, the same answer but the secret',
  );
  assert.ok(!replay.raw.includes(secret));
  assert.equal((await api.request('GET', '/api/v1/users', { apiKey: secret })).status, 200, 'the key itself works');

  assert.equal(
    (await api.request('DELETE', `/api/v1/api-keys/${first.body.data.id}`, { token: admin.token })).status,
    204,
  );
  const afterRevoke = await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers, body });
  assert.equal(afterRevoke.status, 201);
  assert.equal(afterRevoke.body.data.key, null);
  assert.ok(!afterRevoke.raw.includes(secret), 'a revoked key is not shown again');
  const keys = await api.request('GET', '/api/v1/api-keys', { token: admin.token });
  assert.deepEqual(
    keys.body.data.map((k: { id: string }) => k.id),
    [first.body.data.id],
    'retries minted no second key',
  );
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
    await api.request('POST', '/console/api/session', {
      headers: { ...idem(), 'x-usher-console': '1' },
      body: { login: 'root_admin', password: PASSWORD },
    }),
    await api.request('POST', '/api/v1/api-keys', { token: admin.token, headers: idem(), body: { name: unique('k') } }),
  ];
  const setup = await api.request('POST', '/api/v1/auth/mfa/totp', {
    token: u.token,
    headers: idem(),
    body: { password: PASSWORD },
  });
  answers.push(
    setup,
    await api.request('POST', '/api/v1/auth/mfa/totp/confirm', {
      token: u.token,
      headers: idem(),
      body: { code: codeFor(setup.body.data.secret, api.clock.now()) },
    }),
  );
  for (const answer of answers) {
    assert.ok(answer.status < 300, answer.raw);
    const found =
      JSON.stringify(answer.body).match(
        /"(?:access_token|refresh_token|token|key|secret|otpauth_url)":"[^"]+"|"recovery_codes":\[[^\]]+\]/g,
      ) ?? [];
    assert.ok(found.length > 0, `a secret in ${answer.raw}`);
    for (const field of found)
      secrets.push(
        ...(JSON.parse(`{${field}}`) as Record<string, string | string[]>)[field.split('"')[1]!]!.toString().split(','),
      );
  }
  const stored = JSON.stringify(await rows(api));
  for (const secret of secrets)
    assert.ok(!stored.includes(secret), `${secret.slice(0, 8)}... is not in idempotency_keys`);

  // Each idempotent operation's success answer marks every field named like a secret as shown once.
  const doc = (await api.request('GET', '/openapi.json')).body;
  const resolve = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const unmarked = (s: any, at: string): string[] => {
    s = resolve(s);
    if (!s || typeof s !== 'object' || s['x-secret']) return [];
    const parts = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((p: unknown) => unmarked(p, at));
    const props = Object.entries(s.properties ?? {}).flatMap(([name, p]) => {
      const marked = resolve(p)?.['x-secret'] === true;
      return [
        // Named like a secret, but a flag or an address (has_client_secret, token_url) is not one.
        ...(!marked && /^key$|token|secret|recovery|password/.test(name) && !/^has_|_url$/.test(name)
          ? [`${at}.${name}`]
          : []),
        ...unmarked(p, `${at}.${name}`),
      ];
    });
    return [...parts, ...props, ...unmarked(s.items, `${at}[]`)];
  };
  let idempotent = 0;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op.parameters?.some((p: { name: string }) => p.name === 'Idempotency-Key')) continue;
      idempotent++;
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (status.startsWith('2'))
          assert.deepEqual(unmarked(response.content?.['application/json']?.schema, `${method} ${path}`), []);
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
    [
      'not an admin',
      await api.request('POST', '/api/v1/api-keys', { token: u.token, headers: key, body: { name: 'k' } }),
      403,
    ],
    [
      'a bad field',
      await api.request('POST', '/api/v1/users', {
        headers: key,
        body: { username: fresh, email: 'not-an-address', password: PASSWORD },
      }),
      400,
    ],
    [
      'a taken username',
      await api.request('POST', '/api/v1/users', {
        headers: key,
        body: { username: taken.username, email: `${fresh}@example.com`, password: PASSWORD },
      }),
      409,
    ],
    [
      'a bad body',
      await api.request('POST', '/api/users/profiles', { token: admin.token, headers: key, body: { username: fresh } }),
      400,
    ],
  ];
  for (const [what, answer, status] of refusals) assert.equal(answer.status, status, `${what}: ${answer.raw}`);
  assert.deepEqual(await rows(api), [], 'no refusal is kept');

  // The same key, now with a body that works: it runs (not 422 for another body), and only its success is kept.
  const ok = await api.request('POST', '/api/v1/users', {
    headers: key,
    body: { username: fresh, email: `${fresh}@example.com`, password: PASSWORD },
  });
  assert.equal(ok.status, 201, ok.raw);
  const kept = await rows(api);
  assert.equal(kept.length, 1);
  assert.equal(kept[0]!.status, 201);
  const retry = await api.request('POST', '/api/v1/users', {
    headers: key,
    body: { username: fresh, email: `${fresh}@example.com`, password: PASSWORD },
  });
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
    // Straight to the app: a thousand answers need no OpenAPI contract check each (the contract test has that).
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/users/profiles',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `cap-${n}` },
      payload: body,
    });
    assert.equal(res.statusCode, 201, res.body);
    return body;
  };
  const oldest = await create(other.token, 0);
  const total = IDEMPOTENCY_KEYS_PER_CALLER + 5;
  // The test clock stands still unless moved: each batch a millisecond later, so "oldest" means something.
  for (let n = 0; n < total; n += 25) {
    api.clock.advance(1);
    await Promise.all(Array.from({ length: Math.min(25, total - n) }, (_, i) => create(admin.token, n + i)));
  }
  const stored = await rows(api);
  const byCaller = new Map<string, number>();
  for (const row of stored) byCaller.set(row.caller, (byCaller.get(row.caller) ?? 0) + 1);
  assert.deepEqual(
    [...byCaller.values()].sort((a, b) => a - b),
    [1, IDEMPOTENCY_KEYS_PER_CALLER],
    'the bound, and the other caller untouched',
  );

  const newest = { 'idempotency-key': `cap-${total - 1}` };
  const replay = await api.request('POST', '/api/users/profiles', {
    token: admin.token,
    headers: newest,
    body: { username: 'different', email: 'different@example.com' },
  });
  assert.equal(replay.status, 422, 'the newest key is still held');
  const kept = await api.request('POST', '/api/users/profiles', {
    token: other.token,
    headers: { 'idempotency-key': 'cap-0' },
    body: oldest,
  });
  assert.equal(kept.headers['idempotent-replayed'], 'true', "another caller's keys are not evicted");
});

const MB = 1024 * 1024;

/**
 * A raw HTTP/1.1 exchange over one socket: `script` writes; resolves with all the server sent, once it closes the
 * connection.
 */
function exchange(
  base: string,
  script: (write: (data: string | Buffer) => boolean, received: () => string) => Promise<void> | void,
): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', (e) => reject(new Error(`${e.message} after ${JSON.stringify(text.slice(0, 300))}`)));
    socket.on('close', () => resolve(text));
    socket.on(
      'connect',
      () =>
        void Promise.resolve(
          script(
            (data) => socket.write(data),
            () => text,
          ),
        ).catch(reject),
    );
  });
}
const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise((r) => setTimeout(r, 10));
};
const bodyOf = (text: string) => JSON.parse(text.slice(text.lastIndexOf('\r\n\r\n') + 4));

test('item 17: an oversized body is answered 413 in the envelope, before 100 Continue, and readable by a client still sending', async (t) => {
  // A server process of its own (as `npm start` runs it): a client in the server's own event loop never sees the reset.
  const server = await startServer({ DATABASE_URL: await freshDatabaseUrl(t), USHER_RATE_LIMIT: 'off' });
  t.after(() => server.stop());
  const base = server.base;
  const big = JSON.stringify({
    username: 'big',
    email: 'big@example.com',
    password: PASSWORD,
    first_name: 'a'.repeat(12 * MB),
  });
  const json = { 'content-type': 'application/json' };

  await t.test(
    "fetch (undici) sending 12 MB gets the 413, not EPIPE; so does a chunked body; on each surface's envelope",
    async () => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${base}/api/v1/users`, { method: 'POST', headers: json, body: big });
        assert.equal(res.status, 413);
        const body = (await res.json()) as any;
        assert.equal(body.error.code, 'PAYLOAD_TOO_LARGE');
        assert.equal(body.error.path, '/api/v1/users', 'the /api/v1 envelope');
      }
      // Chunked (no Content-Length): over the route's limit while read; and refused before the body is read (/v1
      // without its key).
      for (const [url, status] of [
        ['/api/register/', 413],
        ['/api/v1/users', 413],
        ['/v1/users', 401],
      ] as const) {
        const chunks = Array.from({ length: 48 }, () => Buffer.alloc(MB / 4, 'a'));
        const stream = new ReadableStream({
          pull: (c) => void (chunks.length > 0 ? c.enqueue(chunks.pop()) : c.close()),
        });
        const res = await fetch(`${base}${url}`, {
          method: 'POST',
          headers: json,
          body: stream,
          duplex: 'half',
        } as RequestInit);
        assert.equal(res.status, status, `${url}: 12 MB chunked`);
        const body = (await res.json()) as any;
        if (status === 413) assert.equal(body.error.code, 'PAYLOAD_TOO_LARGE');
        assert.equal(Array.isArray(body.error.details), url === '/v1/users', "the surface's envelope");
      }
    },
  );

  await t.test(
    'Expect: 100-continue with a Content-Length over the route limit is 413 and never 100 Continue',
    async () => {
      for (const [url, length] of [
        ['/api/v1/users', 12 * MB],
        ['/api/v1/users', 2 * MB],
        ['/api/register/', 4 * MB],
      ] as const) {
        const text = await exchange(
          base,
          (write) =>
            void write(
              `POST ${url} HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`,
            ),
        );
        assert.match(text, /^HTTP\/1\.1 413 /, `${url} ${length}: ${text.slice(0, 100)}`);
        assert.doesNotMatch(text, /100 Continue/);
        assert.match(text, /\r\nconnection: close\r\n/i, 'the body never came: the connection is not reused');
        assert.equal(bodyOf(text).error.code, 'PAYLOAD_TOO_LARGE');
      }
    },
  );

  await t.test(
    "a request within its route limit still gets 100 Continue and succeeds (2 MB is within the picture routes' 3 MB)",
    async () => {
      const username = unique();
      const payload = JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD });
      const text = await exchange(base, async (write, received) => {
        write(
          `POST /api/v1/users HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        );
        await until(() => received().length > 0);
        assert.equal(received(), 'HTTP/1.1 100 Continue\r\n\r\n');
        write(payload);
      });
      assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);
      assert.equal(bodyOf(text).data.username, username);

      const picture = await exchange(base, async (write, received) => {
        write(
          `POST /api/register/ HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\nContent-Length: ${2 * MB}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        );
        await until(() => received().length > 0);
        assert.equal(received(), 'HTTP/1.1 100 Continue\r\n\r\n', 'the route takes 3 MB');
        write(`{"username":"${'x'.repeat(2 * MB - 15)}"}`);
      });
      assert.match(picture, /\r\n\r\nHTTP\/1\.1 400 /, 'read, then refused for its content');
    },
  );

  await t.test(
    'a raw client that sends all 12 MB before reading (Content-Length, or chunked with Connection: close) reads the 413',
    async () => {
      const declared = await exchange(base, (write) => {
        write(
          `POST /api/v1/users HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(big)}\r\nConnection: close\r\n\r\n`,
        );
        write(big);
      });
      assert.match(declared, /^HTTP\/1\.1 413 /);
      assert.equal(bodyOf(declared).error.code, 'PAYLOAD_TOO_LARGE');
      const chunked = await exchange(base, (write) => {
        write(
          'POST /api/v1/users HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
        );
        const chunk = 'a'.repeat(MB / 2);
        for (let i = 0; i < 24; i++) write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        write('0\r\n\r\n');
      });
      assert.match(chunked, /^HTTP\/1\.1 413 /);
      assert.equal(bodyOf(chunked).error.code, 'PAYLOAD_TOO_LARGE');
    },
  );
});
