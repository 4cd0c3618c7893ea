import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { build } from '../support/helper.js';

/**
 * Random and hostile requests to every route of every surface: never a 5xx,
 * every error in its surface's envelope, and nothing stored by a request that
 * was refused.
 */

const HOSTILE = [
  "' OR 1=1 --",
  "Robert'); DROP TABLE users;--",
  '{"$gt": ""}',
  '$where',
  '__proto__',
  'constructor',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '%00',
  '9'.repeat(400),
  'x'.repeat(5000),
  '😀'.repeat(60),
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(1e308, -1e308, 2 ** 63, -0, 0.5, Number.MAX_SAFE_INTEGER + 2, true, false, null),
  fc.constant({ $gt: '' }),
  fc.constant({ $ne: null }),
  fc.constant(['a', 1, null]),
  fc.jsonValue({ maxDepth: 3 }),
);
const FIELDS = [
  'username',
  'email',
  'password',
  'first_name',
  'last_name',
  'phone_number',
  'date_of_birth',
  'bio',
  'role',
  'status',
  'preferences',
  'profile',
  'image',
  'refresh_token',
  'name',
  'expires_at',
  'old_password',
  'new_password',
  'current_password',
  '__proto__',
  'constructor',
  'id',
  'password_hash',
  'created_at',
];
const bodyObject = fc
  .dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })), hostileValue, { maxKeys: 6 })
  .map((o) => JSON.stringify(o));
const rawBody = fc.oneof(
  bodyObject,
  fc.constantFrom(
    '',
    'null',
    '[]',
    '"x"',
    '42',
    '{',
    '{"a":}',
    '[1,2',
    `${'['.repeat(3000)}`,
    `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":1e99999}',
  ),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);
/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client library would send it). */
const enc = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
];

test('fuzz: random and hostile bodies, headers, query strings and path parameters on every route', async (t) => {
  // Optional surfaces on, so their routes take hostile input too.
  const api = await build(t, { USHER_EMAIL_SIGN_IN: 'on' });
  const admin = await api.admin();
  const user = await api.user();
  const { key } = await api.apiKey();
  const spec = (await api.request('GET', '/openapi.json')).body;
  const routes: Array<{ method: string; path: string }> = [];
  for (const [path, item] of Object.entries<Record<string, unknown>>(spec.paths)) {
    for (const method of Object.keys(item))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
        routes.push({ method: method.toUpperCase(), path });
  }
  assert.ok(routes.length >= 25, `${routes.length} routes`);
  // The hosted sign-in pages are not API operations (not in the document), but take hostile input all the same.
  const hosted = ['', '/login', '/mfa', '/consent', '/abort', '/forgot', '/reset'];
  for (const step of hosted) routes.push({ method: step ? 'POST' : 'GET', path: `/oidc/interaction/{uid}${step}` });
  for (const step of ['/email', '/email/code', '/email/mfa'])
    routes.push({ method: 'POST', path: `/oidc/interaction/{uid}${step}` });
  // So are the pages mailed links land on.
  for (const page of ['sign-in', 'verify-email', 'reset-password'])
    routes.push({ method: 'GET', path: `/auth/mail/${page}` }, { method: 'POST', path: `/auth/mail/${page}` });
  routes.push(
    { method: 'POST', path: '/auth/mail/sign-in/mfa' },
    { method: 'POST', path: '/auth/mail/sign-in/request' },
  );
  const auths = [
    {},
    { authorization: `Bearer ${user.token}` },
    { authorization: `Bearer ${admin.token}` },
    { 'x-api-key': key },
    { authorization: `Token ${admin.token}` },
    { authorization: 'Bearer x.y.z' },
    { 'x-api-key': 'usk_nope' },
  ];
  const ids = [user.id, admin.id, 'nonexistent'];

  const counts = async () => {
    const db = api.database.db;
    const n = async (table: 'users' | 'api_keys' | 'sessions') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return [await n('users'), await n('api_keys'), await n('sessions')];
  };

  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.constantFrom(...auths),
      fc.oneof(fc.constantFrom(...ids), hostileString),
      rawBody,
      fc.constantFrom(...CONTENT_TYPES),
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('limit', 'page', 'offset', 'cursor', 'search', 'status', 'role', 'sort', 'order', 'type'),
            fc.string({ maxLength: 8 }),
          ),
          hostileString,
        ),
        { maxLength: 4 },
      ),
      fc.boolean(),
      async (route, auth, param, body, contentType, query, invalidUtf8) => {
        const path = route.path.replace(/\{[^}]+\}/g, enc(param));
        // Invalid percent-encoding and invalid UTF-8 in the query string too.
        const qs = [
          ...query.map(([k, v]) => `${enc(k)}=${enc(v)}`),
          ...(invalidUtf8 ? ['search=%ff%fe%c3', 'x=%zz'] : []),
        ].join('&');
        const url = qs ? `${path}?${qs}` : path;
        const before = await counts();
        const payload = invalidUtf8
          ? Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])
          : body;
        const res = await api.app.inject({
          method: route.method as 'GET',
          url,
          headers: { ...auth, 'content-type': contentType },
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : payload,
        });
        const context = `${route.method} ${url} ${contentType} ${String(payload).slice(0, 120)}`;
        assert.ok(res.statusCode < 500, `${res.statusCode} for ${context}: ${res.body.slice(0, 300)}`);
        const page = url.startsWith('/oidc/') || url.startsWith('/auth/mail/');
        if (page && res.statusCode >= 400 && res.statusCode !== 404) {
          // A page in the hosted pages' look, or (refused before a page route was chosen) OAuth's error JSON.
          const type = String(res.headers['content-type']);
          if (!type.startsWith('text/html')) assert.equal(typeof JSON.parse(res.body).error, 'string', context);
          assert.doesNotMatch(res.body, /at [\w.<>]+ \(|\.ts:\d+|SELECT |INSERT |sqlite|\$argon2/i, context);
        } else if (res.statusCode >= 400 && res.statusCode !== 404) {
          const parsed = JSON.parse(res.body);
          assert.equal(typeof parsed.error?.code, 'string', context);
          assert.equal(typeof parsed.error?.message, 'string', context);
          if (url.startsWith('/v1/')) assert.ok(Array.isArray(parsed.error.details), context);
          else assert.equal(typeof parsed.error.details, 'object', context);
          if (url.startsWith('/api/v1/')) assert.ok(parsed.error.timestamp && parsed.error.path, context);
          assert.doesNotMatch(res.body, /at [\w.<>]+ \(|\.ts:\d+|SELECT |INSERT |sqlite|\$argon2/i, context);
          const after = await counts();
          // A refused request stores nothing (a failed login is not a session).
          assert.ok(
            after.every((n, i) => n <= before[i]!),
            `${context}: ${before} -> ${after}`,
          );
        }
      },
    ),
    {
      numRuns: Number(process.env.FUZZ_RUNS ?? 1500),
      seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
    },
  );
});
