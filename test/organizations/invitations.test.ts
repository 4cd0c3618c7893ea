import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, type TestApp, build, unique } from '../support/helper.js';
import { type Inbox, smtpInbox } from '../support/mail-helper.js';
import { addRole } from './org-fixtures.js';

/** Invitations: sent through a real SMTP server, accepted by code (signed in, or on the mailed link's page). */

const fast = { mailPollMs: 25 };

async function setUp(t: Parameters<typeof build>[0]) {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url, USHER_PUBLIC_URL: 'https://id.example.com' }, fast);
  const { token } = await api.admin();
  const org = (await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Invite Co' } })).body.data;
  return { inbox, api, token, org };
}

const invite = (api: TestApp, token: string, orgId: string, body: Record<string, unknown>) =>
  api.request('POST', `/api/v1/organizations/${orgId}/invitations`, { token, body });

const form = (api: TestApp, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });

/** The next invitation mail to `to` (registration's verification mails are passed over). */
async function mailed(inbox: Inbox, to: string) {
  let mail = await inbox.next(to);
  while (!/invited/.test(mail.subject ?? '')) mail = await inbox.next(to);
  const code = inbox.codeIn(mail);
  const link = /https:\/\/id\.example\.com\/auth\/mail\/invitation\?\S+/.exec(mail.text ?? '')?.[0];
  return { mail, code, link };
}

test('an invitation mails a code and a link; the invited user accepts it signed in and joins with its roles', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  const viewer = await addRole(api, 'viewer');
  const user = await api.user();
  const sent = await invite(api, token, org.id, { email: user.email, roles: ['viewer'] });
  assert.equal(sent.status, 201, sent.raw);
  const invitation = sent.body.data;
  assert.equal(invitation.status, 'pending');
  assert.deepEqual(invitation.roles, [viewer]);
  const week = Date.parse(invitation.expires_at) - Date.parse(invitation.created_at);
  assert.equal(week, 7 * 86_400_000, '7 days by default');

  const { mail, code, link } = await mailed(inbox, user.email);
  assert.match(mail.subject ?? '', /Invite Co/);
  assert.ok(link, mail.text);
  assert.ok(!sent.raw.includes(code), 'the answer never carries the code');
  const row = await api.database.db.selectFrom('organization_invitations').selectAll().executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(row).includes(`"${code}"`));
  assert.equal(row.email_key, user.email.toLowerCase());

  const other = await api.user();
  const wrongUser = await api.request('POST', '/api/v1/auth/invitations/accept', {
    token: other.token,
    body: { code },
  });
  assert.equal(wrongUser.status, 400, 'another user cannot take it, even with the right code');
  const wrongCode = await api.request('POST', '/api/v1/auth/invitations/accept', {
    token: user.token,
    body: { code: code === '000000' ? '111111' : '000000' },
  });
  assert.equal(wrongCode.status, 400);
  assert.equal(wrongCode.body.error.message, wrongUser.body.error.message, 'one answer for every refusal');

  const accepted = await api.request('POST', '/api/v1/auth/invitations/accept', {
    token: user.token,
    body: { code },
  });
  assert.equal(accepted.status, 200, accepted.raw);
  assert.equal(accepted.body.data.organization.id, org.id);
  assert.deepEqual(accepted.body.data.organization.roles, [{ id: viewer, name: 'viewer' }]);
  const again = await api.request('POST', '/api/v1/auth/invitations/accept', { token: user.token, body: { code } });
  assert.equal(again.status, 400, 'used once');

  const members = await api.database.db.selectFrom('organization_members').select('user_id').execute();
  assert.deepEqual(members, [{ user_id: user.id }]);
  const listed = await api.request('GET', `/api/v1/organizations/${org.id}/invitations?status=accepted`, { token });
  assert.equal(listed.body.data.length, 1);
  assert.equal(listed.body.data[0].accepted_by, user.id);
  const audit = await api.database.db
    .selectFrom('audit_events')
    .select(['type', 'target_id'])
    .where('type', 'like', 'organization.invitation%')
    .orderBy('id')
    .execute();
  assert.deepEqual(audit, [
    { type: 'organization.invitation_created', target_id: null },
    { type: 'organization.invitation_accepted', target_id: user.id },
  ]);
});

test('revoked and expired invitations refuse with the same answer; bad expiry is a 400; the list filters by status', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  const user = await api.user();
  const far = new Date(api.clock.now() + 31 * 86_400_000).toISOString();
  assert.equal((await invite(api, token, org.id, { email: user.email, expires_at: far })).status, 400);
  const past = new Date(api.clock.now() - 1000).toISOString();
  assert.equal((await invite(api, token, org.id, { email: user.email, expires_at: past })).status, 400);
  assert.equal((await invite(api, token, org.id, { email: 'not-an-email' })).status, 400);
  assert.equal((await invite(api, token, org.id, { email: user.email, roles: ['nope'] })).status, 400);

  const revoked = (await invite(api, token, org.id, { email: user.email })).body.data;
  const { code: revokedCode } = await mailed(inbox, user.email);
  const del = await api.request('DELETE', `/api/v1/organizations/${org.id}/invitations/${revoked.id}`, { token });
  assert.equal(del.status, 204);
  assert.equal(
    (await api.request('DELETE', `/api/v1/organizations/${org.id}/invitations/${revoked.id}`, { token })).status,
    409,
  );
  const refused = await api.request('POST', '/api/v1/auth/invitations/accept', {
    token: user.token,
    body: { code: revokedCode },
  });
  assert.equal(refused.status, 400);

  const soon = new Date(api.clock.now() + 60_000).toISOString();
  await invite(api, token, org.id, { email: user.email, expires_at: soon });
  const { code: expiringCode } = await mailed(inbox, user.email);
  api.clock.advance(61_000);
  const expired = await api.request('POST', '/api/v1/auth/invitations/accept', {
    token: user.token,
    body: { code: expiringCode },
  });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.error.message, refused.body.error.message);

  const status = async (s: string) =>
    (await api.request('GET', `/api/v1/organizations/${org.id}/invitations?status=${s}`, { token })).body.data.length;
  assert.equal(await status('revoked'), 1);
  assert.equal(await status('expired'), 1);
  assert.equal(await status('pending'), 0);
  assert.equal((await api.database.db.selectFrom('organization_members').selectAll().execute()).length, 0);
});

test('wrong codes are limited per address: past five, even the right code is refused for a while', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  const user = await api.user();
  await invite(api, token, org.id, { email: user.email });
  const { code } = await mailed(inbox, user.email);
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 5; i++)
    assert.equal(
      (await api.request('POST', '/api/v1/auth/invitations/accept', { token: user.token, body: { code: wrong } }))
        .status,
      400,
    );
  const blocked = await api.request('POST', '/api/v1/auth/invitations/accept', { token: user.token, body: { code } });
  assert.equal(blocked.status, 400);
  api.clock.advance(15 * 60_000 + 1000);
  const later = await api.request('POST', '/api/v1/auth/invitations/accept', { token: user.token, body: { code } });
  assert.equal(later.status, 200, later.raw);
});

test('the mailed link’s page makes the account on the way (email verified) and joins; a known address joins its account', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  const member = await addRole(api, 'member');
  const email = `${unique('new')}@example.com`;
  await invite(api, token, org.id, { email, roles: [member] });
  const { code, link } = await mailed(inbox, email);
  const path = link!.replace('https://id.example.com', '');

  // A scanner's GET spends nothing.
  const page = await api.app.inject({ method: 'GET', url: path });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<form method="post" action="\/auth\/mail\/invitation">/);
  assert.match(page.body, /Create account and join/);

  // Another site cannot post the form.
  const forged = await form(api, '/auth/mail/invitation', { email, code }, { 'sec-fetch-site': 'cross-site' });
  assert.equal(forged.statusCode, 403);

  // No account yet, and no username: the page asks for one.
  const ask = await form(api, '/auth/mail/invitation', { email, code });
  assert.equal(ask.statusCode, 400);
  assert.match(ask.body, /choose a username/);

  const username = unique('inv');
  const made = await form(api, '/auth/mail/invitation', { email, code, username, password: PASSWORD });
  assert.equal(made.statusCode, 200, made.body);
  assert.match(made.body, /Invite Co/);
  const user = await api.database.db
    .selectFrom('users')
    .select(['id', 'email_verified', 'username'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  assert.equal(Boolean(user.email_verified), true, 'the code proved the address');
  const joined = await api.database.db.selectFrom('organization_member_roles').select(['user_id', 'role_id']).execute();
  assert.deepEqual(joined, [{ user_id: user.id, role_id: member }]);
  const tokens = await api.login(username);
  const mine = await api.request('GET', '/api/v1/auth/organizations', { token: tokens.access_token });
  assert.equal(mine.body.data[0].id, org.id);
  const used = await form(api, '/auth/mail/invitation', { email, code, username: unique('x'), password: PASSWORD });
  assert.equal(used.statusCode, 400);
  assert.match(used.body, /Ask whoever invited you/);

  // An address with an account (verified: an admin made it): the account joins (no new one).
  const made2 = await api.withRole('user');
  const existing = { ...made2, email: `${made2.username}@example.com` };
  const second = (await api.request('POST', '/api/v1/organizations', { token, body: { name: 'Second' } })).body.data;
  await invite(api, token, second.id, { email: existing.email });
  const { code: code2 } = await mailed(inbox, existing.email);
  const join = await form(api, '/auth/mail/invitation', { email: existing.email, code: code2 });
  assert.equal(join.statusCode, 200, join.body);
  assert.ok(join.body.includes(existing.username));
  const rows = await api.database.db
    .selectFrom('organization_members')
    .select('user_id')
    .where('organization_id', '=', second.id)
    .execute();
  assert.deepEqual(rows, [{ user_id: existing.id }]);
});

test('concurrent wrong codes are each counted before any code is compared: a burst cannot outrun the limit', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  const email = `${unique('burst')}@example.com`;
  await invite(api, token, org.id, { email });
  const { code } = await mailed(inbox, email);
  const wrongs = ['000000', '111111', '222222', '333333', '444444', '555555', '666666', '777777'].filter(
    (c) => c !== code,
  );
  // Sent at once: five wrong codes spend the address's tries, so the right one behind them is refused.
  const answers = await Promise.all(
    [...wrongs.slice(0, 7), code].map((c) => form(api, '/auth/mail/invitation', { email, code: c })),
  );
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    answers.map(() => 400),
  );
  const members = await api.database.db.selectFrom('organization_members').selectAll().execute();
  assert.equal(members.length, 0, 'the right code did not slip through the burst');
  assert.ok(!answers.at(-1)!.body.includes('choose a username'), 'the right code was not even compared');
});

test('the page does not join an account whose address was never verified: the code proves the address, not the account', async (t) => {
  const { inbox, api, token, org } = await setUp(t);
  // Anyone may register with an address they do not hold; the invitation is then sent to its real owner.
  const squatter = await api.register();
  await invite(api, token, org.id, { email: squatter.email });
  const { code } = await mailed(inbox, squatter.email);
  const join = await form(api, '/auth/mail/invitation', { email: squatter.email, code });
  assert.equal(join.statusCode, 400, join.body);
  assert.match(join.body, /has not verified it/);
  assert.equal((await api.database.db.selectFrom('organization_members').selectAll().execute()).length, 0);
  const row = await api.database.db
    .selectFrom('organization_invitations')
    .select('accepted_at')
    .executeTakeFirstOrThrow();
  assert.equal(row.accepted_at, null, 'the invitation is still pending');
});
