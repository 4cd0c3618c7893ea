import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SoftAuthenticator } from '../support/authenticator.js';
import { PASSWORD, type TestApp, build } from '../support/helper.js';
import { turnTotpOn } from '../support/hosted-flow.js';

/** The dashboard's summary: counters that move with the changes and sign-ins they count, bucketed by the clock. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function summary(api: TestApp, token: string) {
  const res = await api.request('GET', '/api/v1/stats/summary', { token });
  assert.equal(res.status, 200, res.raw);
  return res.body.data;
}

const last = <T>(a: T[]): T => a[a.length - 1]!;

test('totals, sign-ups, sign-ins by every method, failures, adoption and locks move with what they count', async (t) => {
  const api = await build(t, { USHER_LOCKOUT_THRESHOLD: '3', USHER_EMAIL_SIGN_IN: 'on' });
  // The clock at the start of an hour, so everything below falls in one hour and one day.
  api.clock.advance(HOUR - (api.clock.now() % HOUR) + 60_000);
  const admin = await api.admin();
  const before = await summary(api, admin.token);
  assert.equal(before.daily.length, 30);
  assert.equal(before.hourly.length, 48);
  assert.equal(last<any>(before.daily).day, new Date(api.clock.now()).toISOString().slice(0, 10));
  assert.equal(last<any>(before.hourly).hour, new Date(api.clock.now() - (api.clock.now() % HOUR)).toISOString());
  assert.deepEqual(before.webhooks, { failing: 0, gave_up: 0 }, 'no webhook delivery failing');

  const a = await api.user();
  const b = await api.register();
  await api.login(b.username);
  await api.login(b.username);
  for (let i = 0; i < 2; i++) {
    const bad = await api.request('POST', '/api/v1/auth/login', {
      body: { username: a.username, password: 'Wrong-77' },
    });
    assert.equal(bad.status, 401);
  }
  const after = await summary(api, admin.token);
  const hour = last<any>(after.hourly);
  const day = last<any>(after.daily);
  const was = last<any>(before.hourly);
  assert.equal(hour.sign_ups - was.sign_ups, 2);
  assert.equal(hour.sign_ins - was.sign_ins, 3, 'a.user() signs in once, b twice');
  assert.equal(hour.failed_sign_ins - was.failed_sign_ins, 2);
  assert.equal(day.sign_ins - last<any>(before.daily).sign_ins, 3);
  assert.equal(after.users.total - before.users.total, 2);
  assert.equal(after.users.by_status.active - before.users.by_status.active, 2);
  assert.equal(after.active_users.today - before.active_users.today, 2, 'b signed in twice, counted once');
  assert.equal(day.active_users, after.active_users.today);
  assert.equal(after.active_users.month - before.active_users.month, 2);

  // A third wrong password locks a's account; the right one from a known address lifts it; a lock also runs out.
  const third = await api.request('POST', '/api/v1/auth/login', {
    body: { username: a.username, password: 'Wrong-77' },
  });
  assert.equal(third.status, 401);
  assert.equal((await summary(api, admin.token)).locked_accounts, 1);
  const owner = await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } });
  assert.equal(owner.status, 200, 'the owner, from an address it signed in from before, keeps an allowance');
  assert.equal((await summary(api, admin.token)).locked_accounts, 0, 'their success lifts the lock');
  for (let i = 0; i < 3; i++) {
    const bad = await api.request('POST', '/api/v1/auth/login', {
      body: { username: a.username, password: 'Wrong-77' },
    });
    assert.equal(bad.status, 401);
  }
  assert.equal((await summary(api, admin.token)).locked_accounts, 1, 'locked again');
  api.clock.advance(601_000);
  assert.equal((await summary(api, admin.token)).locked_accounts, 0, 'the lock is over');
  const aToken = (await api.login(a.username)).access_token; // a recent sign-in, for TOTP and a passkey

  // Status, deletion, TOTP and passkeys.
  const suspend = await api.request('PATCH', `/api/v1/users/${b.id}`, {
    token: admin.token,
    body: { status: 'suspended' },
  });
  assert.equal(suspend.status, 200, suspend.raw);
  const totp = await turnTotpOn(api, aToken);
  const device = new SoftAuthenticator(api.config.webauthn.origins[0]!);
  const options = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: aToken });
  const added = await api.request('POST', '/api/v1/auth/passkeys/register/verify', {
    token: aToken,
    body: { challenge_id: options.body.challenge_id, credential: device.create(options.body.options) },
  });
  assert.equal(added.status, 201, added.raw);
  let now = await summary(api, admin.token);
  assert.equal(now.users.by_status.suspended - before.users.by_status.suspended, 1);
  assert.equal(now.users.total - before.users.total, 2);
  assert.equal(now.users.mfa - before.users.mfa, 1);
  assert.equal(now.users.passkey - before.users.passkey, 1);

  // A passkey sign-in and a second factor's sign-in count as sign-ins; a wrong second factor as a failure.
  const beforeMethods = last<any>(now.hourly);
  const login = await api.request('POST', '/api/v1/auth/passkeys/login/options', { body: {} });
  const passkeyIn = await api.request('POST', '/api/v1/auth/passkeys/login/verify', {
    body: { challenge_id: login.body.challenge_id, credential: device.get(login.body.options) },
  });
  assert.equal(passkeyIn.status, 200, passkeyIn.raw);
  const first = await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } });
  assert.equal(first.status, 200, first.raw);
  const challenge = first.body.mfa_token ?? first.body.challenge ?? first.body.mfa_challenge;
  assert.ok(challenge, first.raw);
  const wrong = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: challenge, code: '000000' },
  });
  assert.equal(wrong.status, 400, wrong.raw);
  const right = await api.request('POST', '/api/v1/auth/mfa/verify', {
    body: { mfa_token: challenge, code: totp.generate({ timestamp: api.clock.now() }) },
  });
  assert.equal(right.status, 200, right.raw);
  now = await summary(api, admin.token);
  assert.equal(last<any>(now.hourly).sign_ins - beforeMethods.sign_ins, 2);
  assert.equal(last<any>(now.hourly).failed_sign_ins - beforeMethods.failed_sign_ins, 1);

  // Deletion takes the user out of the totals (and of TOTP adoption).
  assert.equal((await api.request('DELETE', `/api/v1/users/${a.id}`, { token: admin.token })).status, 204);
  now = await summary(api, admin.token);
  assert.equal(now.users.total - before.users.total, 1);
  assert.equal(now.users.deleted - before.users.deleted, 1);
  assert.equal(now.users.mfa - before.users.mfa, 0);
});

test('hours and days are buckets of the clock: yesterday moves down the chart, today starts at zero', async (t) => {
  const api = await build(t);
  api.clock.advance(DAY - (api.clock.now() % DAY) + HOUR);
  const signIn = async () => ({ token: (await api.login('root_admin')).access_token });
  let admin = await signIn();
  const u = await api.register();
  await api.login(u.username);
  const day1 = await summary(api, admin.token);
  const signIns1 = last<any>(day1.daily).sign_ins;
  assert.ok(signIns1 >= 2, 'the admin and the user');
  assert.equal(last<any>(day1.daily).active_users, 2);

  api.clock.advance(3 * HOUR);
  admin = await signIn();
  const later = await summary(api, admin.token);
  assert.equal(last<any>(later.hourly).sign_ins, 1, 'only the admin, in this hour');
  assert.equal(later.hourly[later.hourly.length - 4].sign_ins, signIns1, 'three hours back: the first hour');
  assert.equal(last<any>(later.daily).active_users, 2, 'the admin again the same day: counted once');

  api.clock.advance(DAY);
  admin = await signIn();
  await api.login(u.username);
  await api.login(u.username);
  const day2 = await summary(api, admin.token);
  assert.equal(last<any>(day2.daily).sign_ins, 3);
  assert.equal(last<any>(day2.daily).active_users, 2);
  assert.equal(day2.daily[28].sign_ins, signIns1 + 1, 'yesterday');
  assert.equal(day2.daily[28].active_users, 2);
  assert.equal(day2.active_users.today, 2);

  // 30 days on: yesterday's figures have left the chart.
  api.clock.advance(30 * DAY);
  admin = await signIn();
  const month = await summary(api, admin.token);
  assert.equal(
    month.daily.reduce((n: number, d: any) => n + d.sign_ins, 0),
    1,
  );
  assert.equal(
    month.hourly.reduce((n: number, d: any) => n + d.sign_ins, 0),
    1,
  );
});

test('admins and moderators read the summary; users and strangers do not; failing mail is counted', async (t) => {
  const api = await build(t);
  const moderator = await api.withRole('moderator');
  // The outbox as the mail worker leaves it: one sent, one to retry, one given up on (parked in year 9999).
  const at = new Date(api.clock.now()).toISOString();
  const mail = (id: string, attempts: number, next: string, sent: string | null) => ({
    id,
    to_address: 'x@example.com',
    template: 'verify_email',
    data: '{}',
    created_at: at,
    attempts,
    next_attempt_at: next,
    locked_until: null,
    sent_at: sent,
    last_error: attempts > 0 ? 'connection refused' : null,
  });
  await api.database.db
    .insertInto('mail_outbox')
    .values([mail('m1', 1, at, at), mail('m2', 2, at, null), mail('m3', 12, '9999-12-31T00:00:00.000Z', null)])
    .execute();
  const figures = await summary(api, moderator.token);
  assert.deepEqual(figures.mail, { failing: 2, gave_up: 1 });
  const user = await api.user();
  assert.equal((await api.request('GET', '/api/v1/stats/summary', { token: moderator.token })).status, 200);
  assert.equal((await api.request('GET', '/api/v1/stats/summary', { token: user.token })).status, 403);
  assert.equal((await api.request('GET', '/api/v1/stats/summary')).status, 401);
  const key = await api.apiKey({ name: 'ops', role: 'user' });
  assert.equal((await api.request('GET', '/api/v1/stats/summary', { apiKey: key.key })).status, 403);
});
