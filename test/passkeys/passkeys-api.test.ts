import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { createDatabase } from '../../src/db/database.js';
import { PASSWORD, type TestApp, build, freshDatabaseUrl, tempDir } from '../support/helper.js';
import { SoftAuthenticator } from '../support/authenticator.js';

/** Issue 26, part 1: passkeys through /api/v1, with a software authenticator, on one app. */

const ORIGIN = 'https://id.example.test';
const ENV = { USHER_PUBLIC_URL: ORIGIN };

type Api = TestApp;
type Me = { id: string; username: string; token: string };

async function addPasskey(api: Api, me: Me, device: SoftAuthenticator, name?: string) {
  const options = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
  assert.equal(options.status, 200, options.raw);
  const credential = device.create(options.body.options);
  const res = await api.request('POST', '/api/v1/auth/passkeys/register/verify', {
    token: me.token,
    body: { challenge_id: options.body.challenge_id, credential, ...(name !== undefined && { name }) },
  });
  assert.equal(res.status, 201, res.raw);
  return res.body.data;
}

async function loginOptions(api: Api, username?: string) {
  const res = await api.request('POST', '/api/v1/auth/passkeys/login/options', {
    body: username === undefined ? {} : { username },
  });
  assert.equal(res.status, 200, res.raw);
  return res.body as { challenge_id: string; options: any };
}

const verifyLogin = (api: Api, challengeId: string, credential: unknown) =>
  api.request('POST', '/api/v1/auth/passkeys/login/verify', { body: { challenge_id: challengeId, credential } });

async function signIn(api: Api, device: SoftAuthenticator, username?: string, ceremony = {}) {
  const { challenge_id, options } = await loginOptions(api, username);
  return verifyLogin(api, challenge_id, device.get(options, ceremony));
}

const audits = (api: Api, type: string, targetId: string) =>
  api.database.db
    .selectFrom('audit_events')
    .selectAll()
    .where('type', '=', type)
    .where('target_id', '=', targetId)
    .orderBy('created_at')
    .execute();

test('passkeys through /api/v1: register, list, rename, remove, sign in; every refusal', async (t) => {
  const api = await build(t, ENV);

  await t.test(
    'registering needs a recent sign-in; the passkey is listed without its key; a second excludes the first',
    async () => {
      const me = await api.user();
      const device = new SoftAuthenticator(ORIGIN);
      const options = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
      assert.equal(options.body.options.rp.id, 'id.example.test');
      assert.equal(options.body.options.authenticatorSelection.userVerification, 'required');
      assert.equal(options.body.options.authenticatorSelection.residentKey, 'required');
      const added = await addPasskey(api, me, device, 'Laptop');
      assert.deepEqual(Object.keys(added).sort(), [
        'backed_up',
        'created_at',
        'device_type',
        'id',
        'last_used_at',
        'name',
      ]);
      assert.equal(added.name, 'Laptop');
      assert.equal(added.device_type, 'singleDevice');
      assert.equal(added.last_used_at, null);
      const event = (await audits(api, 'passkey.added', me.id))[0]!;
      assert.equal(JSON.parse(event.details).passkey_id, added.id);
      assert.equal(event.actor_id, me.id);

      const again = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
      assert.deepEqual(
        again.body.options.excludeCredentials.map((c: { id: string }) => c.id),
        [device.held[0]!.id.toString('base64url')],
      );
      const synced = await addPasskey(api, me, new SoftAuthenticator(ORIGIN, true));
      assert.equal(synced.device_type, 'multiDevice');
      assert.equal(synced.backed_up, true);
      assert.equal(synced.name, 'Synced passkey');

      // Past the reauthentication window (600 s), a token alone cannot add a way in.
      api.clock.advance(601_000);
      const late = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
      assert.equal(late.status, 403);
      assert.equal(late.body.error.code, 'REAUTHENTICATION_REQUIRED');
      const fresh = await api.login(me.username);
      assert.equal(
        (await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: fresh.access_token })).status,
        200,
      );
    },
  );

  await t.test('list, rename, remove: only your own; removing with a password left works', async () => {
    const me = await api.user();
    const other = await api.user();
    const p = await addPasskey(api, me, new SoftAuthenticator(ORIGIN));
    const list = await api.request('GET', '/api/v1/auth/passkeys', { token: me.token });
    assert.deepEqual(
      list.body.data.map((x: { id: string }) => x.id),
      [p.id],
    );
    assert.deepEqual((await api.request('GET', '/api/v1/auth/passkeys', { token: other.token })).body.data, []);
    const renamed = await api.request('PATCH', `/api/v1/auth/passkeys/${p.id}`, {
      token: me.token,
      body: { name: '  Phone ' },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.data.name, 'Phone');
    for (const name of ['', 'x'.repeat(65), 'a\u0000b'])
      assert.equal(
        (await api.request('PATCH', `/api/v1/auth/passkeys/${p.id}`, { token: me.token, body: { name } })).status,
        400,
      );
    // Another user's passkey is not found, renamed or removed.
    assert.equal(
      (await api.request('PATCH', `/api/v1/auth/passkeys/${p.id}`, { token: other.token, body: { name: 'Mine' } }))
        .status,
      404,
    );
    assert.equal((await api.request('DELETE', `/api/v1/auth/passkeys/${p.id}`, { token: other.token })).status, 404);
    assert.equal((await api.request('DELETE', `/api/v1/auth/passkeys/${p.id}`, { token: me.token })).status, 204);
    assert.equal((await api.request('DELETE', `/api/v1/auth/passkeys/${p.id}`, { token: me.token })).status, 404);
    assert.deepEqual((await api.request('GET', '/api/v1/auth/passkeys', { token: me.token })).body.data, []);
    assert.equal((await audits(api, 'passkey.removed', me.id)).length, 1);
  });

  await t.test('the last way to sign in is not removed', async () => {
    const me = await api.user();
    const p = await addPasskey(api, me, new SoftAuthenticator(ORIGIN));
    // A passkey-only account (no password): no API makes one yet, so the password goes in the database.
    await api.database.db.updateTable('users').set({ password_hash: null }).where('id', '=', me.id).execute();
    const res = await api.request('DELETE', `/api/v1/auth/passkeys/${p.id}`, { token: me.token });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.details.reason, 'last_sign_in_method');
    const admin = await api.admin();
    assert.equal(
      (await api.request('DELETE', `/api/v1/users/${me.id}/passkeys/${p.id}`, { token: admin.token })).status,
      422,
    );
    assert.equal((await api.request('GET', '/api/v1/auth/passkeys', { token: me.token })).body.data.length, 1);
  });

  await t.test('sign in with a username or a discoverable passkey: tokens, method passkey, no TOTP step', async () => {
    const me = await api.user();
    const device = new SoftAuthenticator(ORIGIN);
    const p = await addPasskey(api, me, device);
    // TOTP on: a password earns a challenge, a passkey a session.
    const setup = await api.request('POST', '/api/v1/auth/mfa/totp', { token: me.token, body: { password: PASSWORD } });
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.data.secret) }).generate({
      timestamp: api.clock.now(),
    });
    assert.equal(
      (await api.request('POST', '/api/v1/auth/mfa/totp/confirm', { token: me.token, body: { code } })).status,
      200,
    );
    for (const username of [me.username, undefined]) {
      const res = await signIn(api, device, username);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.token_type, 'Bearer');
      const mine = await api.request('GET', `/api/v1/users/${me.id}`, { token: res.body.access_token });
      assert.equal(mine.status, 200);
      const refreshed = await api.request('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: res.body.refresh_token },
      });
      assert.equal(refreshed.status, 200);
    }
    const logins = (await audits(api, 'user.login', me.id)).map((e) => JSON.parse(e.details).method);
    assert.deepEqual(logins.slice(-2), ['passkey', 'passkey']);
    const listed = (await api.request('GET', '/api/v1/auth/passkeys', { token: me.token })).body.data[0];
    assert.equal(listed.id, p.id);
    assert.equal(listed.last_used_at, new Date(api.clock.now()).toISOString());
    const row = await api.database.db
      .selectFrom('passkeys')
      .select('counter')
      .where('id', '=', p.id)
      .executeTakeFirst();
    assert.equal(Number(row!.counter), 2);
  });

  await t.test('refused: wrong origin or RP id, a spent or expired challenge, a counter going back', async () => {
    const me = await api.user();
    const device = new SoftAuthenticator(ORIGIN);
    // Registration from another origin or for another RP id stores nothing.
    for (const ceremony of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { userVerified: false }]) {
      const options = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
      const res = await api.request('POST', '/api/v1/auth/passkeys/register/verify', {
        token: me.token,
        body: { challenge_id: options.body.challenge_id, credential: device.create(options.body.options, ceremony) },
      });
      assert.equal(res.status, 400, JSON.stringify(ceremony));
    }
    assert.deepEqual((await api.request('GET', '/api/v1/auth/passkeys', { token: me.token })).body.data, []);
    await addPasskey(api, me, device);

    for (const ceremony of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { userVerified: false }]) {
      const res = await signIn(api, device, undefined, ceremony);
      assert.equal(res.status, 401, JSON.stringify(ceremony));
      assert.equal(res.body.error.message, 'Passkey sign-in failed');
    }
    // A challenge answers once.
    const { challenge_id, options } = await loginOptions(api);
    const answer = device.get(options);
    assert.equal((await verifyLogin(api, challenge_id, answer)).status, 200);
    assert.equal((await verifyLogin(api, challenge_id, answer)).status, 401);
    // A registration's challenge is spent too, and never signs in.
    const reg = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
    assert.equal((await verifyLogin(api, reg.body.challenge_id, device.get(options))).status, 401);
    // After 5 minutes a challenge is gone.
    const old = await loginOptions(api);
    api.clock.advance(301_000);
    assert.equal((await verifyLogin(api, old.challenge_id, device.get(old.options))).status, 401);
    // The stored counter is the last accepted one: anything at or below it again is a clone.
    const stored = await api.database.db
      .selectFrom('passkeys')
      .select('counter')
      .where('user_id', '=', me.id)
      .executeTakeFirstOrThrow();
    const at = Number(stored.counter);
    assert.ok(at > 0);
    const back = await signIn(api, device, undefined, { counter: at - 1 });
    assert.equal(back.status, 401);
    assert.equal(
      (await signIn(api, device, undefined, { counter: at })).status,
      401,
      'the same counter is refused too',
    );
    assert.equal((await signIn(api, device, undefined, { counter: at + 5 })).status, 200);
    const failed = await audits(api, 'user.login_failed', me.id);
    assert.deepEqual(
      failed.slice(-2).map((e) => JSON.parse(e.details).reason),
      ['passkey_counter', 'passkey_counter'],
    );
    // A synced passkey's counter stays 0, and passes.
    const synced = new SoftAuthenticator(ORIGIN, true);
    await addPasskey(api, await fresh(api, me), synced);
    for (let i = 0; i < 2; i++) assert.equal((await signIn(api, synced)).status, 200);
  });

  await t.test("another user's passkey, a suspended or deleted user: the same refusal", async () => {
    const alice = await api.user();
    const bob = await api.user();
    const aliceKey = new SoftAuthenticator(ORIGIN);
    const bobKey = new SoftAuthenticator(ORIGIN);
    await addPasskey(api, alice, aliceKey);
    await addPasskey(api, bob, bobKey);
    const refusals = [await signIn(api, bobKey, alice.username), await signIn(api, bobKey, 'nobody_here')];
    const admin = await api.admin();
    await api.request('PATCH', `/api/v1/users/${bob.id}`, { token: admin.token, body: { status: 'suspended' } });
    refusals.push(await signIn(api, bobKey));
    assert.equal((await api.request('DELETE', `/api/v1/users/${alice.id}`, { token: admin.token })).status, 204);
    refusals.push(await signIn(api, aliceKey));
    for (const res of refusals) {
      assert.equal(res.status, 401);
      assert.equal(res.body.error.message, 'Passkey sign-in failed');
    }
    const failed = await audits(api, 'user.login_failed', bob.id);
    assert.deepEqual(
      failed.map((e) => JSON.parse(e.details).reason),
      ['not_active'],
    );
  });

  await t.test("admins list and remove anyone's; moderators, other users and API keys may not", async () => {
    const me = await api.user();
    const p = await addPasskey(api, me, new SoftAuthenticator(ORIGIN));
    const admin = await api.admin();
    const listed = await api.request('GET', `/api/v1/users/${me.id}/passkeys`, { token: admin.token });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data[0].id, p.id);
    const mod = await api.withRole('moderator');
    const other = await api.user();
    const { key } = await api.apiKey();
    for (const who of [{ token: mod.token }, { token: other.token }, { apiKey: key }]) {
      assert.equal((await api.request('GET', `/api/v1/users/${me.id}/passkeys`, who)).status, 403);
      assert.equal((await api.request('DELETE', `/api/v1/users/${me.id}/passkeys/${p.id}`, who)).status, 403);
    }
    assert.equal(
      (await api.request('DELETE', `/api/v1/users/${other.id}/passkeys/${p.id}`, { token: admin.token })).status,
      404,
      "not that user's",
    );
    assert.equal(
      (await api.request('DELETE', `/api/v1/users/${me.id}/passkeys/${p.id}`, { token: admin.token })).status,
      204,
    );
    const event = (await audits(api, 'passkey.removed', me.id)).at(-1)!;
    assert.equal(event.actor_id, admin.id);
  });

  await t.test('bad input is a 400 (or the refusal), never a 500', async () => {
    const me = await fresh(api, await api.user());
    const device = new SoftAuthenticator(ORIGIN);
    const options = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
    const good = device.create(options.body.options);
    const bodies: unknown[] = [
      {},
      { challenge_id: options.body.challenge_id },
      { challenge_id: options.body.challenge_id, credential: 'x' },
      { challenge_id: options.body.challenge_id, credential: { ...good, id: 'not base64!' } },
      { challenge_id: options.body.challenge_id, credential: { ...good, id: 'A'.repeat(5000) } },
      { challenge_id: options.body.challenge_id, credential: { ...good, type: 'password' } },
      { challenge_id: options.body.challenge_id, credential: { ...good, response: { clientDataJSON: 'AAAA' } } },
      { challenge_id: options.body.challenge_id, credential: good, extra: 1 },
      { challenge_id: 'x'.repeat(100), credential: good },
    ];
    for (const body of bodies) {
      const res = await api.request('POST', '/api/v1/auth/passkeys/register/verify', { token: me.token, body });
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 120)}: ${res.raw}`);
    }
    // Well-formed but garbage: decodes to nothing; the challenge is spent and nothing is stored.
    const garbage = { ...good, response: { ...good.response, attestationObject: 'AAAA', clientDataJSON: 'e30' } };
    const fresh2 = await api.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
    const res = await api.request('POST', '/api/v1/auth/passkeys/register/verify', {
      token: me.token,
      body: { challenge_id: fresh2.body.challenge_id, credential: garbage },
    });
    assert.equal(res.status, 400);
    assert.equal(
      (
        await api.request('POST', '/api/v1/auth/passkeys/register/verify', {
          token: me.token,
          body: { challenge_id: options.body.challenge_id, credential: good },
        })
      ).status,
      201,
      'the first challenge was never spent by the refused bodies',
    );
    const login = await loginOptions(api);
    const answer = device.get(login.options);
    for (const credential of [
      { ...answer, response: { ...answer.response, signature: 'AAAA' } },
      { ...answer, response: { ...answer.response, authenticatorData: 'AA', clientDataJSON: 'AA' } },
    ]) {
      const again = await loginOptions(api);
      assert.equal((await verifyLogin(api, again.challenge_id, credential)).status, 401);
    }
    for (const body of [{ username: 5 }, { username: 'x'.repeat(400) }, { other: 1 }]) {
      const r = await api.request('POST', '/api/v1/auth/passkeys/login/options', { body });
      assert.equal(r.status, 400);
    }
    const bad = await api.request('POST', '/api/v1/auth/passkeys/login/verify', {
      body: { challenge_id: login.challenge_id, credential: { ...answer, response: {} } },
    });
    assert.equal(bad.status, 400);
  });
});

/** The same user, signed in again (a recent sign-in, after the clock moved). */
async function fresh(api: Api, me: Me): Promise<Me> {
  return { ...me, token: (await api.login(me.username)).access_token };
}

test('two instances over one database: options from one verify at the other, once', async (t) => {
  const url =
    process.env.USHER_TEST_DIALECT === 'postgres'
      ? await freshDatabaseUrl(t)
      : `sqlite:${tempDir('passkeys')}/usher.db`;
  const [dbA, dbB] = [createDatabase(url), createDatabase(url)];
  t.after(() => Promise.all([dbA.close(), dbB.close()]));
  const a = await build(t, { ...ENV, DATABASE_URL: url }, { database: dbA });
  const b = await build(t, { ...ENV, DATABASE_URL: url }, { database: dbB });
  const me = await a.user();
  const device = new SoftAuthenticator(ORIGIN);
  const options = await a.request('POST', '/api/v1/auth/passkeys/register/options', { token: me.token });
  const registered = await b.request('POST', '/api/v1/auth/passkeys/register/verify', {
    token: me.token,
    body: { challenge_id: options.body.challenge_id, credential: device.create(options.body.options) },
  });
  assert.equal(registered.status, 201, registered.raw);
  const login = await loginOptions(b, me.username);
  const answer = device.get(login.options);
  const signedIn = await verifyLogin(a, login.challenge_id, answer);
  assert.equal(signedIn.status, 200, signedIn.raw);
  assert.equal((await verifyLogin(b, login.challenge_id, answer)).status, 401, 'spent on A, refused on B');
  assert.equal((await b.request('GET', `/api/v1/users/${me.id}`, { token: signedIn.body.access_token })).status, 200);
});
