import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { PASSWORD, type TestApp, build } from '../support/helper.js';

/** Issue 23, items 12 (sessions per user capped, lists paged) and 14 (a grace window for a rotated refresh token). */

const CONSOLE = { 'x-usher-console': '1' };
const sid = (accessToken: string) => decodeJwt(accessToken).sid as string;
const refresh = (api: TestApp, token: string) =>
  api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });

async function revokedEvents(api: TestApp, userId: string) {
  const admin = await api.admin();
  const res = await api.request('GET', `/api/v1/audit-events?type=session.revoked&target_id=${userId}&limit=100`, {
    token: admin.token,
  });
  assert.equal(res.status, 200, res.raw);
  return res.body.data as Array<{ actor_id: string | null; details: Record<string, unknown> }>;
}

test('item 12: past USHER_MAX_SESSIONS_PER_USER a login ends the oldest session (refresh and access token refused at once, audited session.revoked)', async (t) => {
  const api = await build(t, { USHER_MAX_SESSIONS_PER_USER: '3' });
  const u = await api.register();
  const sessions = [];
  for (let i = 0; i < 3; i++) sessions.push(await api.login(u.username));
  const me = (token: string) => api.request('GET', `/api/v1/users/${u.id}`, { token });
  for (const s of sessions) assert.equal((await me(s.access_token)).status, 200);
  assert.deepEqual(await revokedEvents(api, u.id), []);

  const fourth = await api.login(u.username);
  const oldest = sessions[0]!;
  assert.equal((await me(oldest.access_token)).status, 401, 'the oldest session’s access token stops at once');
  assert.equal((await refresh(api, oldest.refresh_token)).status, 401, 'and so does its refresh token');
  for (const s of [sessions[1]!, sessions[2]!, fourth])
    assert.equal((await me(s.access_token)).status, 200, 'the three newest live on');

  const events = await revokedEvents(api, u.id);
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.details, { session_id: sid(oldest.access_token), reason: 'session_limit' });
  assert.equal(events[0]!.actor_id, u.id);

  const listed = await api.request('GET', '/api/v1/auth/sessions', { token: fourth.access_token });
  assert.deepEqual(
    listed.body.data.map((s: { id: string }) => s.id),
    [fourth, sessions[2]!, sessions[1]!].map((s) => sid(s.access_token)),
  );
});

test('item 12: parallel logins never exceed the cap', async (t) => {
  const api = await build(t, { USHER_MAX_SESSIONS_PER_USER: '3' });
  const u = await api.register();
  const logins = await Promise.all(
    Array.from({ length: 8 }, () =>
      api.request('POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } }),
    ),
  );
  assert.deepEqual(
    logins.map((r) => r.status),
    Array<number>(8).fill(200),
  );
  const live = await api.database.db
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', u.id)
    .where('revoked_at', 'is', null)
    .execute();
  assert.equal(live.length, 3);
  assert.equal((await revokedEvents(api, u.id)).length, 5, 'each ended session audited once');
  const stillWorking = await Promise.all(
    logins.map((r) => api.request('GET', `/api/v1/users/${u.id}`, { token: r.body.access_token })),
  );
  assert.equal(stillWorking.filter((r) => r.status === 200).length, 3);
});

test('item 12: the session lists (own and an admin’s view of a user) page with limit and an opaque cursor; bad ones are 400', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const u = await api.register();
  const tokens = [];
  for (let i = 0; i < 5; i++) tokens.push(await api.login(u.username));
  const newestFirst = tokens.map((s) => sid(s.access_token)).reverse();
  const token = tokens[4]!.access_token;

  for (const [base, auth] of [
    ['/api/v1/auth/sessions', token],
    [`/api/v1/users/${u.id}/sessions`, admin.token],
  ] as const) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.request('GET', `${base}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: auth,
      });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.pagination.limit, 2);
      assert.ok(res.body.data.length <= 2);
      seen.push(...res.body.data.map((s: { id: string }) => s.id));
      cursor = res.body.pagination.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, newestFirst, base);

    const all = await api.request('GET', base, { token: auth });
    assert.equal(all.body.pagination.limit, 50, 'fifty by default');
    assert.equal(all.body.pagination.next_cursor, null);
    assert.equal(all.body.data.length, 5);

    for (const query of [
      'limit=0',
      'limit=101',
      'limit=x',
      'cursor=nonsense',
      `cursor=${Buffer.from('["2020-01-01","x"]').toString('base64url')}`,
    ]) {
      const bad = await api.request('GET', `${base}?${query}`, { token: auth });
      assert.equal(bad.status, 400, `${base}?${query}`);
      assert.equal(bad.body.error.code, 'VALIDATION_ERROR');
    }
    assert.equal((await api.request('GET', `${base}?limit=100`, { token: auth })).status, 200);
  }
});

test('item 14: two refreshes with one token at once both succeed with the same successor; after the grace window its reuse ends the session', async (t) => {
  const api = await build(t, { USHER_REFRESH_REUSE_GRACE: '2' });
  const u = await api.user();
  const me = (token: string) => api.request('GET', `/api/v1/users/${u.id}`, { token });
  const [a, b] = await Promise.all([refresh(api, u.refresh), refresh(api, u.refresh)]);
  assert.deepEqual([a!.status, b!.status], [200, 200], `${a!.raw} ${b!.raw}`);
  assert.equal(a!.body.refresh_token, b!.body.refresh_token, 'the same successor');
  assert.notEqual(a!.body.refresh_token, u.refresh);
  for (const r of [a!, b!]) assert.equal((await me(r.body.access_token)).status, 200, 'each a working access token');

  // Only a sealed successor is kept beside the used token, never the token itself.
  const rows = await api.database.db.selectFrom('refresh_tokens').select(['successor', 'used_at']).execute();
  const sealed = rows.filter((r) => r.successor !== null).map((r) => r.successor!);
  assert.equal(sealed.length, 1);
  assert.ok(!sealed[0]!.includes(a!.body.refresh_token));

  // A third use after the window (the app's clock moves 3 s on) is reuse: the whole session ends, audited.
  api.clock.advance(3_000);
  const late = await refresh(api, u.refresh);
  assert.equal(late.status, 401);
  assert.equal((await refresh(api, a!.body.refresh_token)).status, 401, 'the successor ended with its session');
  assert.equal((await me(a!.body.access_token)).status, 401);
  const admin = await api.admin();
  const events = await api.request('GET', `/api/v1/audit-events?type=session.refresh_reused&target_id=${u.id}`, {
    token: admin.token,
  });
  assert.equal(events.body.data.length, 1);
  assert.equal(events.body.data[0].details.session_id, sid(u.token));
});

test('item 14: within the window a token whose successor was rotated meanwhile gets the live token; the epoch secrets go after a few windows', async (t) => {
  const api = await build(t, { USHER_REFRESH_REUSE_GRACE: '2' });
  const u = await api.user();
  const first = await refresh(api, u.refresh);
  const second = await refresh(api, first.body.refresh_token);
  assert.equal(second.status, 200);
  // The other tab comes back with the first token: it gets the live token, not one already used.
  const late = await refresh(api, u.refresh);
  assert.equal(late.status, 200, late.raw);
  assert.equal(late.body.refresh_token, second.body.refresh_token);
  const third = await refresh(api, late.body.refresh_token);
  assert.equal(third.status, 200, 'the chain goes on');

  // Three windows on, the next rotation drops the old epoch's secret: the sealed successors can never be opened again.
  api.clock.advance(7_000);
  assert.equal((await refresh(api, third.body.refresh_token)).status, 200);
  const keys = await api.database.db.selectFrom('refresh_grace_keys').select('epoch').execute();
  assert.equal(keys.length, 1, 'only the current epoch’s secret is kept');
});

test('item 14: USHER_REFRESH_REUSE_GRACE=0 turns the grace off: a second use ends the session at once', async (t) => {
  const api = await build(t, { USHER_REFRESH_REUSE_GRACE: '0' });
  const u = await api.user();
  const first = await refresh(api, u.refresh);
  assert.equal(first.status, 200);
  assert.equal((await refresh(api, u.refresh)).status, 401);
  assert.equal((await refresh(api, first.body.refresh_token)).status, 401, 'the session ended');
  const rows = await api.database.db.selectFrom('refresh_tokens').select('successor').execute();
  assert.ok(
    rows.every((r) => r.successor === null),
    'nothing sealed',
  );
});

test('item 14: the console’s cookie refresh twice at once with one cookie keeps the admin signed in', async (t) => {
  const api = await build(t, { USHER_REFRESH_REUSE_GRACE: '2' });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;
  const signedIn = await api.request('POST', '/console/api/session', {
    headers: CONSOLE,
    body: { login: 'root_admin', password: PASSWORD },
  });
  assert.equal(signedIn.status, 200);
  const cookie = cookieOf(signedIn);
  const tabs = await Promise.all(
    [1, 2].map(() => api.request('POST', '/console/api/session/refresh', { headers: { ...CONSOLE, cookie } })),
  );
  assert.deepEqual(
    tabs.map((r) => r.status),
    [200, 200],
    tabs.map((r) => r.raw).join(' '),
  );
  assert.equal(cookieOf(tabs[0]!), cookieOf(tabs[1]!), 'both tabs hold the same cookie');
  assert.notEqual(cookieOf(tabs[0]!), cookie);
  for (const tab of tabs)
    assert.equal((await api.request('GET', '/api/v1/auth/sessions', { token: tab.body.access_token })).status, 200);
  api.clock.advance(3_000);
  const later = await api.request('POST', '/console/api/session/refresh', {
    headers: { ...CONSOLE, cookie: cookieOf(tabs[1]!) },
  });
  assert.equal(later.status, 200, 'still signed in');
});
