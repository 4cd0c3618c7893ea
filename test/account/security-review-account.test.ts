import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, type TestApp, build, unique } from '../support/helper.js';

/** Issue 23, items 3, 5, 8 and 15 (mailed codes): the flows that prove something by mail, attacked. */

const STRONG = 'Brand-New-Lantern-5';

/** Every mail to `to` in the outbox (the only way mail leaves), oldest first, with the code it carries. */
async function mailsTo(api: TestApp, to: string): Promise<{ template: string; code: string }[]> {
  const rows = await api.database.db
    .selectFrom('mail_outbox')
    .select(['template', 'data', 'created_at', 'id'])
    .where('to_address', '=', to)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ template: r.template, code: (JSON.parse(r.data) as { code: string }).code }));
}

const lastCode = async (api: TestApp, to: string, template: string) =>
  (await mailsTo(api, to)).filter((m) => m.template === template).at(-1)!.code;
const otherThan = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

/** The answer with what differs between any two requests (the time it was made) taken out. */
const comparable = (res: { status: number; raw: string }) => {
  const body = JSON.parse(res.raw) as { error: { timestamp?: string } };
  delete body.error.timestamp;
  return `${res.status} ${JSON.stringify(body)}`;
};

test('a wrong code answers byte for byte the same for known and unknown addresses, whatever the new password; the password is checked only once the code is right', async (t) => {
  const api = await build(t);
  const known = await api.register({ first_name: 'Marguerite', last_name: 'Duras' });
  assert.equal(
    (await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: known.email } })).status,
    202,
  );
  const code = await lastCode(api, known.email, 'password-reset');
  const unknown = `${unique()}@example.com`;
  // Guesses built from the owner's name, a common weak one, a strong one: none tells the addresses apart.
  const passwords = ['Marguerite2024x', 'Password123!', STRONG, 'Duras-Marguerite-1'];
  for (const [i, new_password] of passwords.entries()) {
    const wrong = otherThan(code, i);
    const mine = await api.request('POST', '/api/v1/auth/password-reset', {
      body: { email: known.email, code: wrong, new_password },
    });
    const nobody = await api.request('POST', '/api/v1/auth/password-reset', {
      body: { email: unknown, code: wrong, new_password },
    });
    assert.equal(mine.status, 400, new_password);
    assert.deepEqual(Object.keys(mine.body.error.details), ['code'], `${new_password}: the code is judged first`);
    assert.equal(comparable(mine), comparable(nobody), new_password);
    assert.equal(mine.headers['content-length'], nobody.headers['content-length']);
  }
  // Email verification (the other route that takes a mailed code) answers the same way.
  const verify = (email: string) =>
    api.request('POST', '/api/v1/auth/verify-email', { body: { email, code: otherThan(code) } });
  assert.equal(comparable(await verify(known.email)), comparable(await verify(unknown)));

  // The right code with a weak password: the rules answer now, and the code stays good (four wrong tries so far).
  const weak = await api.request('POST', '/api/v1/auth/password-reset', {
    body: { email: known.email, code, new_password: 'Marguerite2024x' },
  });
  assert.equal(weak.status, 400);
  assert.deepEqual(Object.keys(weak.body.error.details), ['new_password']);
  const reset = await api.request('POST', '/api/v1/auth/password-reset', {
    body: { email: known.email, code, new_password: STRONG },
  });
  assert.equal(reset.status, 200, reset.raw);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/login', { body: { username: known.username, password: STRONG } })).status,
    200,
  );
});

test("others' requests never block the recipient: past its mail limit they answer 202 and mail nothing, and the recipient's own code still verifies", async (t) => {
  const api = await build(t, { USHER_RATE_LIMIT: 'on', USHER_TRUST_PROXY: 'true' });
  const victim = { headers: { 'x-forwarded-for': '192.0.2.10' } };
  const attacker = { headers: { 'x-forwarded-for': '198.51.100.66' } };
  const username = unique();
  const email = `${username}@example.com`;
  const registered = await api.request('POST', '/api/v1/users', {
    ...victim,
    body: { username, email, password: PASSWORD },
  });
  assert.equal(registered.status, 201);
  const code = await lastCode(api, email, 'verify-email');

  // Anonymous reset requests for the victim's address, from elsewhere: all 202, the same answer as for anyone.
  for (let i = 0; i < 6; i++) {
    const res = await api.request('POST', '/api/v1/auth/password-reset/request', { ...attacker, body: { email } });
    assert.equal(res.status, 202, res.raw);
    assert.equal(res.body.data.message, 'If the address belongs to an account, a mail with a code is on its way');
  }
  // Three mails a quarter of an hour reach an address (the registration's included); the rest were not sent.
  assert.deepEqual(
    (await mailsTo(api, email)).map((m) => m.template),
    ['verify-email', 'password-reset', 'password-reset'],
  );

  // The victim, from their own address: their request answers as usual, their code verifies.
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email/request', { ...victim, body: { email } })).status,
    202,
  );
  const verified = await api.request('POST', '/api/v1/auth/verify-email', { ...victim, body: { email, code } });
  assert.equal(verified.status, 200, verified.raw);
  assert.equal(verified.body.data.email_verified, true);
  assert.equal((await mailsTo(api, email)).length, 3, 'nothing more was mailed');

  // The last reset code mailed still resets the password, however many requests came after it.
  const resetCode = await lastCode(api, email, 'password-reset');
  const reset = await api.request('POST', '/api/v1/auth/password-reset', {
    ...victim,
    body: { email, code: resetCode, new_password: STRONG },
  });
  assert.equal(reset.status, 200, reset.raw);

  // A quarter of an hour later the address gets mail again.
  api.clock.advance(15 * 60_000 + 1);
  assert.equal(
    (await api.request('POST', '/api/v1/auth/password-reset/request', { ...victim, body: { email } })).status,
    202,
  );
  assert.equal((await mailsTo(api, email)).length, 4);
});

test("changing one's own email mails the new address at most three times a quarter of an hour, then answers as usual and mails nothing", async (t) => {
  // The recipient limit is no traffic limit: it holds with USHER_RATE_LIMIT=off (the tests' default) too.
  const api = await build(t);
  const a = await api.user();
  const outside = `${unique('target')}@example.net`;
  const elsewhere = `${unique('other')}@example.net`;
  for (let i = 0; i < 5; i++) {
    for (const email of [outside, elsewhere]) {
      const res = await api.request('PATCH', `/api/v1/users/${a.id}`, { token: a.token, body: { email } });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.data.email, email);
      assert.equal(res.body.data.email_verified, false);
    }
  }
  assert.equal((await mailsTo(api, outside)).length, 3, 'five changes to one address, three mails');
  // A quarter of an hour later the address gets mail again, and its code proves it.
  api.clock.advance(15 * 60_000 + 1);
  const login = await api.login(a.username);
  assert.equal(
    (await api.request('PATCH', `/api/v1/users/${a.id}`, { token: login.access_token, body: { email: outside } }))
      .status,
    200,
  );
  assert.equal((await mailsTo(api, outside)).length, 4, 'mailed again after the window');
  const verified = await api.request('POST', '/api/v1/auth/verify-email', {
    body: { email: outside, code: await lastCode(api, outside, 'verify-email') },
  });
  assert.equal(verified.status, 200, verified.raw);
});

test('parallel wrong codes are counted atomically: twenty at once judge five, void the code, and never count past the limit', async (t) => {
  const api = await build(t);
  for (const [purpose, template, path] of [
    ['verify_email', 'verify-email', '/api/v1/auth/verify-email'],
    ['reset_password', 'password-reset', '/api/v1/auth/password-reset'],
  ] as const) {
    const a = await api.register();
    if (purpose === 'reset_password')
      await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: a.email } });
    const code = await lastCode(api, a.email, template);
    const body = (c: string) =>
      purpose === 'verify_email' ? { email: a.email, code: c } : { email: a.email, code: c, new_password: STRONG };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.request('POST', path, { body: body(otherThan(code, i)) })),
    );
    assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([400]));
    const row = await api.database.db
      .selectFrom('one_time_codes')
      .select(['attempts', 'used_at'])
      .where('user_id', '=', a.id)
      .where('purpose', '=', purpose)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.attempts), 5, `${purpose}: exactly five tries judged`);
    assert.ok(row.used_at, `${purpose}: voided`);
    assert.equal(
      (await api.request('POST', path, { body: body(code) })).status,
      400,
      `${purpose}: the right code comes too late`,
    );
  }
  // Four wrong at once leave the right code good.
  const b = await api.register();
  const code = await lastCode(api, b.email, 'verify-email');
  await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      api.request('POST', '/api/v1/auth/verify-email', { body: { email: b.email, code: otherThan(code, i) } }),
    ),
  );
  assert.equal(
    (await api.request('POST', '/api/v1/auth/verify-email', { body: { email: b.email, code } })).status,
    200,
  );
});
