import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { PASSWORD, type TestApp, build } from './helper.js';

/** Issue 23, items 12 (sessions per user capped, lists paged) and 14 (a grace window for a rotated refresh token). */

const CONSOLE = { 'x-usher-console': '1' };
const sid = (accessToken: string) => decodeJwt(accessToken).sid as string;
const refresh = (api: TestApp, token: string) => api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });

async function revokedEvents(api: TestApp, userId: string) {
  const admin = await api.admin();
  const res = await api.request('GET', `/api/v1/audit-events?type=session.revoked&target_id=${userId}&limit=100`, { token: admin.token });
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
  for (const s of [sessions[1]!, sessions[2]!, fourth]) assert.equal((await me(s.access_token)).status, 200, 'the three newest live on');

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
  const logins = await Promise.all(Array.from({ length: 8 }, () => api.request('POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } })));
  assert.deepEqual(logins.map((r) => r.status), Array<number>(8).fill(200));
  const live = await api.database.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).where('revoked_at', 'is', null).execute();
  assert.equal(live.length, 3);
  assert.equal((await revokedEvents(api, u.id)).length, 5, 'each ended session audited once');
  const stillWorking = await Promise.all(logins.map((r) => api.request('GET', `/api/v1/users/${u.id}`, { token: r.body.access_token })));
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

  for (const [base, auth] of [['/api/v1/auth/sessions', token], [`/api/v1/users/${u.id}/sessions`, admin.token]] as const) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.request('GET', `${base}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: auth });
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

    for (const query of ['limit=0', 'limit=101', 'limit=x', 'cursor=nonsense', `cursor=${Buffer.from('["2020-01-01","x"]').toString('base64url')}`]) {
      const bad = await api.request('GET', `${base}?${query}`, { token: auth });
      assert.equal(bad.status, 400, `${base}?${query}`);
      assert.equal(bad.body.error.code, 'VALIDATION_ERROR');
    }
    assert.equal((await api.request('GET', `${base}?limit=100`, { token: auth })).status, 200);
  }
});
