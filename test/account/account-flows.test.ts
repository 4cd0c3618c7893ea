import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build, unique } from '../support/helper.js';
import { smtpInbox } from '../support/mail-helper.js';
import { freePort } from '../../scripts/fixtures.js';
import { startServer } from '../support/servers.js';

/** Email verification and password reset, with a real SMTP server receiving the mail. */

const fast = { mailPollMs: 25 };

test('registration mails a verification code; the code verifies once; wrong, reused and unknown codes are 400', async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url, USHER_MAIL_FROM: 'Usher <usher@example.com>' }, fast);
  const a = await api.register();
  assert.equal(a.body.data.email_verified, false);
  const mail = await inbox.next(a.email);
  assert.match(mail.subject ?? '', /verification code/);
  assert.equal(mail.from?.value[0]?.address, 'usher@example.com');
  assert.ok(typeof mail.html === 'string' && mail.html.includes(inbox.codeIn(mail)), 'an HTML part too');
  const code = inbox.codeIn(mail);
  const wrong = await api.request('POST', '/api/v1/auth/verify-email', {
    body: { email: a.email, code: code === '000000' ? '111111' : '000000' },
  });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.code, 'VALIDATION_ERROR');
  assert.match(wrong.body.error.details.code, /wrong or has expired/);
  const ok = await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code } });
  assert.equal(ok.status, 200, ok.raw);
  assert.equal(ok.body.data.email_verified, true);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code } })).status,
    400,
    'single-use',
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: 'nobody@example.com', code } })).status,
    400,
  );
  // /v1 shows it too.
  const { key } = await api.apiKey();
  assert.equal((await api.request('GET', `/v1/users/${a.id}`, { apiKey: key })).body.email_verified, true);
});

test("requests answer 202 for any address and mail only real ones, past the recipient's mail limit too", async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(
    t,
    {
      SMTP_URL: inbox.url,
      USHER_RATE_LIMIT: 'on',
      USHER_RATE_LIMIT_LOGIN_PER_MIN: '1000',
      USHER_RATE_LIMIT_ANON_PER_MIN: '1000',
      USHER_RATE_LIMIT_BURST_PER_SEC: '1000',
    },
    fast,
  );
  const a = await api.register();
  await inbox.next(a.email);
  for (const email of [a.email, 'nobody@example.com']) {
    const res = await api.request('POST', '/api/v1/auth/verify-email/request', { body: { email } });
    assert.equal(res.status, 202);
    assert.equal(res.body.data.message, 'If the address belongs to an account, a mail with a code is on its way');
  }
  const again = await inbox.next(a.email);
  // The new code replaces the old one.
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code: inbox.codeIn(again) } }))
      .status,
    200,
  );
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(!inbox.mails.some((m) => m.text?.includes('nobody@example.com')), 'no mail for an unknown address');
  const statuses = [];
  for (let i = 0; i < 4; i++)
    statuses.push(
      (await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: 'flood@example.com' } }))
        .status,
    );
  // Past the recipient's three mails a quarter of an hour the answer stays the same (nothing is mailed;
  // test/security-review-account.test.ts).
  assert.deepEqual(statuses, [202, 202, 202, 202]);
});

test('five wrong tries void a code; codes expire after USHER_CODE_TTL', async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url }, fast);
  const a = await api.register();
  const code = inbox.codeIn(await inbox.next(a.email));
  for (let i = 0; i < 5; i++) {
    const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    assert.equal(
      (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code: guess } })).status,
      400,
    );
  }
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code } })).status,
    400,
    'voided after five wrong tries',
  );
  await api.request('POST', '/api/v1/auth/verify-email/request', { body: { email: a.email } });
  const fresh = inbox.codeIn(await inbox.next(a.email));
  api.clock.advance(15 * 60_000 + 1);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: a.email, code: fresh } })).status,
    400,
    'expired',
  );
});

test('USHER_REQUIRE_VERIFIED_EMAIL: unverified logins are 403 EMAIL_NOT_VERIFIED; admin-made users and the bootstrap admin count as verified; a new address needs verifying again', async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url, USHER_REQUIRE_VERIFIED_EMAIL: 'true' }, fast);
  const admin = await api.admin();
  const a = await api.register();
  const refused = await api.request('POST', '/api/v1/auth/login', {
    body: { username: a.username, password: PASSWORD },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'EMAIL_NOT_VERIFIED');
  assert.equal(
    (await api.request('POST', '/api/login/', { body: { username: a.username, password: PASSWORD } })).status,
    403,
    'every surface',
  );
  await api.request('POST', '/api/v1/auth/verify-email', {
    body: { email: a.email, code: inbox.codeIn(await inbox.next(a.email)) },
  });
  const tokens = await api.login(a.username);
  const made = await api.request('POST', '/api/v1/users', {
    token: admin.token,
    body: { username: unique(), email: `${unique()}@example.com`, password: PASSWORD },
  });
  assert.equal(made.body.data.email_verified, true);
  // Changing one's own email unverifies it and mails the new address.
  const newEmail = `${unique()}@example.com`;
  const changed = await api.request('PATCH', `/api/v1/users/${a.id}`, {
    token: tokens.access_token,
    body: { email: newEmail },
  });
  assert.equal(changed.body.data.email_verified, false);
  await inbox.next(newEmail);
});

test('password reset: a mailed code sets a new password that follows the rules, ends every session, and the old password stops working', async (t) => {
  const inbox = await smtpInbox(t);
  const api = await build(t, { SMTP_URL: inbox.url }, fast);
  const a = await api.user();
  await inbox.next(a.email); // the verification mail of the registration
  assert.equal(
    (await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: a.email } })).status,
    202,
  );
  const mail = await inbox.next(a.email);
  assert.match(mail.subject ?? '', /password reset code/);
  const code = inbox.codeIn(mail);
  const weak = await api.request('POST', '/api/v1/auth/password-reset', {
    body: { email: a.email, code, new_password: 'Password123!' },
  });
  assert.equal(weak.status, 400);
  assert.ok(weak.body.error.details.new_password);
  const reset = await api.request('POST', '/api/v1/auth/password-reset', {
    body: { email: a.email, code, new_password: 'Brand-New-Lantern-5' },
  });
  assert.equal(reset.status, 200, 'the weak try did not use the code up');
  assert.equal(
    (await api.request('GET', `/api/v1/users/${a.id}`, { token: a.token })).status,
    401,
    'every session ended',
  );
  assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh } })).status, 401);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: a.username, password: PASSWORD } })).status,
    401,
  );
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/login', {
        body: { username: a.username, password: 'Brand-New-Lantern-5' },
      })
    ).status,
    200,
  );
  assert.equal(
    (
      await api.request('POST', '/api/v1/auth/password-reset', {
        body: { email: a.email, code, new_password: 'Another-Pass456!' },
      })
    ).status,
    400,
    'single-use',
  );
});

test('an SMTP outage loses no mail: the outbox retries with backoff until the server is back', async (t) => {
  const port = await freePort();
  const api = await build(t, { SMTP_URL: `smtp://127.0.0.1:${port}` }, fast);
  const a = await api.register();
  await new Promise((r) => setTimeout(r, 300));
  const pending = await api.database.db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('to_address', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.equal(pending.sent_at, null);
  assert.ok(pending.attempts >= 1 && pending.last_error, 'a failed attempt is recorded');
  const inbox = await smtpInbox(t, port);
  api.clock.advance(60_000);
  const mail = await inbox.next(a.email);
  assert.ok(inbox.codeIn(mail));
  assert.equal(inbox.mails.length, 1, 'sent once');
});

test('without SMTP_URL, the server warns at start and writes each mail to the log', {
  skip: process.env.USHER_TEST_DIALECT === 'postgres' && 'one dialect is enough for the log',
}, async (t) => {
  const server = await startServer({ DATABASE_URL: 'sqlite::memory:' });
  t.after(() => server.stop());
  assert.match(server.output(), /mail is not configured \(SMTP_URL is not set\)/);
  const username = unique();
  const res = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
  });
  assert.equal(res.status, 201);
  const deadline = Date.now() + 10_000;
  while (!server.output().includes('logged instead') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  assert.match(server.output(), new RegExp(`"to":"${username}@example.com"`));
});
