import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PASSWORD } from '../support/helper.js';
import { decodeJwt } from 'jose';
import { turnTotpOn } from '../support/hosted-flow.js';
import { REDIRECT, formAction, freePort, startIssuer } from '../support/oidc.js';
import { Browser, upstreamAuthorize } from '../support/upstream-flow.js';
import { startCraftedIdp, startLocalIdp } from '../support/upstream-idp.js';

/**
 * Sign-in with an upstream OpenID provider (panva's oidc-provider on its own port, Google-like) through Usher's hosted
 * page, an openid-client relying party at the end; one Usher for the file (both databases).
 */
test('upstream OpenID provider', async (t) => {
  const idpPort = await freePort();
  const idpIssuer = `http://127.0.0.1:${idpPort}`;
  const op = await startIssuer(t, {
    USHER_OUTBOUND_ALLOW_PRIVATE: 'on',
    USHER_SECRETS_KEY: randomBytes(32).toString('base64'),
  });
  const api = op.api;
  const admin = await api.admin();
  const create = async (body: Record<string, unknown>) => {
    const res = await api.request('POST', '/api/v1/identity-providers', { token: admin.token, body });
    assert.equal(res.status, 201, res.raw);
    return res.body.data;
  };
  const main = await create({
    type: 'oidc',
    issuer: idpIssuer,
    client_id: 'usher',
    client_secret: 'upstream-secret-1',
    display_name: 'Acme ID',
  });
  const closed = await create({
    type: 'oidc',
    issuer: idpIssuer,
    client_id: 'usher2',
    client_secret: 'upstream-secret-2',
    display_name: 'Closed ID',
    auto_create: false,
  });
  const idp = await startLocalIdp(
    [
      { client_id: 'usher', client_secret: 'upstream-secret-1', redirect_uris: [main.redirect_uri] },
      { client_id: 'usher2', client_secret: 'upstream-secret-2', redirect_uris: [closed.redirect_uri] },
    ],
    idpPort,
  );
  t.after(() => idp.close());
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT], first_party: true });
  const rp = await op.relyingParty(app);
  const db = api.database.db;
  const usersCount = async () =>
    Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditOf = (type: string) =>
    db.selectFrom('audit_events').selectAll().where('type', '=', type).orderBy('id').execute();

  await t.test('the answer carries redirect_uri and never the secret, which is stored sealed', async () => {
    assert.equal(main.redirect_uri, `${op.issuer}/auth/callback/${main.id}`);
    assert.equal(main.has_client_secret, true);
    const listed = await api.request('GET', '/api/v1/identity-providers', { token: admin.token });
    assert.ok(!listed.raw.includes('upstream-secret'));
    assert.ok(
      !JSON.stringify(await db.selectFrom('audit_events').select('details').execute()).includes('upstream-secret'),
    );
    const row = await db
      .selectFrom('identity_providers')
      .select('client_secret')
      .where('id', '=', main.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.client_secret!.startsWith('sb1:'));
    const open = await api.request('GET', '/api/v1/identity-providers/public');
    assert.deepEqual(open.body.data.map((p: { display_name: string }) => p.display_name).sort(), [
      'Acme ID',
      'Closed ID',
    ]);
    assert.equal(Object.keys(open.body.data[0]).sort().join(), 'display_name,id,type');
  });

  let alice = '';
  await t.test('first sign-in makes the user (email verified as the provider says), the second finds it', async () => {
    idp.as({
      sub: 'alice-1',
      email: 'alice@acme.test',
      email_verified: true,
      preferred_username: 'alice.a',
      given_name: 'Alice',
    });
    const before = await usersCount();
    const first = await upstreamAuthorize(op, rp, new Browser(), main.id);
    assert.ok(first.loginPage.includes('Sign in with Acme ID'));
    assert.ok(first.tokens, `came back to the application: ${first.step.url} ${first.step.html ?? ''}`);
    alice = first.tokens.claims()!.sub;
    const user = await api.request('GET', `/api/v1/users/${alice}`, { token: admin.token });
    assert.equal(user.body.data.username, 'alice_a');
    assert.equal(user.body.data.email, 'alice@acme.test');
    assert.equal(user.body.data.email_verified, true);
    assert.equal(user.body.data.first_name, 'Alice');
    assert.deepEqual(
      user.body.data.identities.map((i: Record<string, unknown>) => [
        i.provider_id,
        i.provider_type,
        i.subject,
        i.email,
      ]),
      [[main.id, 'oidc', 'alice-1', 'alice@acme.test']],
    );
    const logins = (await auditOf('user.login')).filter((e) => e.target_id === alice);
    assert.deepEqual(
      logins.map((e) => [
        JSON.parse(e.details).method,
        JSON.parse(e.details).provider_id,
        JSON.parse(e.details).client_id,
      ]),
      [['upstream', main.id, app.client_id]],
    );
    const second = await upstreamAuthorize(op, rp, new Browser(), main.id);
    assert.equal(second.tokens?.claims()?.sub, alice);
    assert.equal(await usersCount(), before + 1);
  });

  await t.test(
    'an unverified upstream email makes no account; suspended or deleted, a user signs nobody in',
    async () => {
      // Pre-account takeover: the address may be someone else's, who would later prove it while this identity kept access.
      idp.as({ sub: 'mallory-1', email: 'victim@acme.test', email_verified: false });
      const before = await usersCount();
      const refused = await upstreamAuthorize(op, rp, new Browser(), main.id);
      assert.equal(refused.tokens, undefined);
      assert.equal(refused.step.status, 422);
      assert.match(refused.step.html!, /has not verified your email address.*link Acme ID from My account/s);
      assert.equal(await usersCount(), before);
      const linked = await db
        .selectFrom('user_identities')
        .select('subject')
        .where('subject', '=', 'mallory-1')
        .execute();
      assert.equal(linked.length, 0);

      idp.as({ sub: 'bob-1', email: 'bob@acme.test', email_verified: true });
      const { tokens } = await upstreamAuthorize(op, rp, new Browser(), main.id);
      const bob = tokens!.claims()!.sub;
      const user = await api.request('GET', `/api/v1/users/${bob}`, { token: admin.token });
      assert.equal(user.body.data.email_verified, true);
      assert.equal(user.body.data.username, 'bob');
      await api.request('PATCH', `/api/v1/users/${bob}`, { token: admin.token, body: { status: 'suspended' } });
      const suspended = await upstreamAuthorize(op, rp, new Browser(), main.id);
      assert.equal(suspended.step.status, 422);
      assert.match(suspended.step.html!, /not active/);
      assert.equal((await api.request('DELETE', `/api/v1/users/${bob}`, { token: admin.token })).status, 204);
      const deleted = await upstreamAuthorize(op, rp, new Browser(), main.id);
      assert.equal(deleted.step.status, 422);
      assert.equal(deleted.tokens, undefined);
    },
  );

  await t.test('a verified email links to the user whose email is verified; an unverified one does not', async () => {
    const made = await api.request('POST', '/api/v1/users', {
      token: admin.token,
      body: { username: 'carol', email: 'carol@acme.test', password: PASSWORD },
    });
    const carol = made.body.data.id;
    idp.as({ sub: 'carol-fake', email: 'carol@acme.test', email_verified: false });
    const refused = await upstreamAuthorize(op, rp, new Browser(), main.id);
    assert.equal(refused.tokens, undefined);
    assert.equal(refused.step.status, 422);
    assert.match(refused.step.html!, /An account with this email address exists already/);
    assert.equal((await db.selectFrom('user_identities').selectAll().where('user_id', '=', carol).execute()).length, 0);
    assert.equal((await auditOf('user.login')).filter((e) => e.target_id === carol).length, 0);

    idp.as({ sub: 'carol-1', email: 'carol@acme.test', email_verified: true });
    const linked = await upstreamAuthorize(op, rp, new Browser(), main.id);
    assert.equal(linked.tokens?.claims()?.sub, carol);
    const events = (await auditOf('identity.linked')).filter((e) => e.target_id === carol);
    assert.equal(JSON.parse(events[0]!.details).how, 'verified_email');
  });

  await t.test(
    'a matching verified email links nothing to a suspended user, nor to a non-staff one at the console',
    async () => {
      const made = await api.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { username: 'frank', email: 'frank@acme.test', password: PASSWORD },
      });
      const frank = made.body.data.id;
      const links = async () =>
        (await db.selectFrom('user_identities').select('subject').where('user_id', '=', frank).execute()).length;
      await api.request('PATCH', `/api/v1/users/${frank}`, { token: admin.token, body: { status: 'suspended' } });
      idp.as({ sub: 'frank-1', email: 'frank@acme.test', email_verified: true });
      const suspended = await upstreamAuthorize(op, rp, new Browser(), main.id);
      assert.equal(suspended.step.status, 422);
      assert.match(suspended.step.html!, /not active/);
      assert.equal(await links(), 0);
      await api.request('PATCH', `/api/v1/users/${frank}`, { token: admin.token, body: { status: 'active' } });
      const console = await new Browser().follow(`${op.issuer}/auth/upstream/${main.id}?to=console`);
      assert.equal(console.status, 403);
      assert.match(console.html!, /The console is for admins and moderators/);
      assert.equal(await links(), 0);
      // An address that only lower-cases into frank's (the Kelvin sign) is not his: it counts as no address.
      idp.as({ sub: 'kelvin-1', email: 'fran\u212A@acme.test', email_verified: true });
      const folded = await upstreamAuthorize(op, rp, new Browser(), main.id);
      assert.equal(folded.step.status, 422);
      assert.match(folded.step.html!, /did not share an email address/);
      assert.equal(await links(), 0);
    },
  );

  await t.test('a user with TOTP gives the code after the provider (hosted page and console)', async () => {
    const carol = await api.login('carol');
    const totp = await turnTotpOn(api, carol.access_token);
    idp.as({ sub: 'carol-1', email: 'carol@acme.test', email_verified: true });
    const browser = new Browser();
    const { step } = await upstreamAuthorize(op, rp, browser, main.id);
    assert.match(step.html!, /Two-step verification/);
    const mfaToken = /name="mfa_token" value="([^"]+)"/.exec(step.html!)![1]!;
    const action = new URL(formAction(step.html!, '/mfa'), op.issuer).href;
    const done = await browser.follow(action, { form: { mfa_token: mfaToken, code: totp.generate() } });
    assert.ok(done.url.startsWith(REDIRECT), done.html);
    // The second factor finishes an upstream sign-in: the login says so, with its provider.
    const carolId = decodeJwt(carol.access_token).sub;
    const finished = (await auditOf('user.login')).filter((e) => e.target_id === carolId).at(-1)!;
    assert.deepEqual(
      [JSON.parse(finished.details).method, JSON.parse(finished.details).provider_id],
      ['upstream', main.id],
    );

    await api.request('PATCH', `/api/v1/users/${decodeJwt(carol.access_token).sub}`, {
      token: admin.token,
      body: { role: 'moderator' },
    });
    const console = await new Browser().follow(`${op.issuer}/auth/upstream/${main.id}?to=console`, {
      stop: (u) => u.includes('/console/'),
    });
    assert.match(console.url, /\/console\/#mfa_token=mfa_/);
    assert.doesNotMatch(console.res.headers.getSetCookie().join(), /usher_console=/, 'no session before the code');
  });

  await t.test('auto_create off refuses a stranger, and nothing is made', async () => {
    idp.as({ sub: 'dave-1', email: 'dave@acme.test', email_verified: true });
    const before = await usersCount();
    const refused = await upstreamAuthorize(op, rp, new Browser(), closed.id);
    assert.equal(refused.step.status, 422);
    assert.match(refused.step.html!, /new accounts are not made/);
    assert.equal(await usersCount(), before);
  });

  await t.test('a wrong state, a replayed callback and a callback in another browser are refused', async () => {
    const wrong = await new Browser().follow(`${op.issuer}/auth/callback/${main.id}?code=x&state=${'A'.repeat(22)}`);
    assert.equal(wrong.status, 422);
    assert.match(wrong.html!, /expired or was already used/);

    idp.as({ sub: 'alice-1', email: 'alice@acme.test', email_verified: true });
    const browser = new Browser();
    const atCallback = (url: string) => url.includes('/auth/callback/');
    const { step } = await upstreamAuthorize(op, rp, browser, main.id, { stop: atCallback });
    const elsewhere = await new Browser().follow(step.url);
    assert.equal(elsewhere.status, 422, 'no binding cookie: refused (and the state spent)');
    const again = await browser.follow(step.url);
    assert.equal(again.status, 422);

    const fresh = new Browser();
    const second = await upstreamAuthorize(op, rp, fresh, main.id, { stop: atCallback });
    const used = await fresh.follow(second.step.url, { stop: (u) => u.includes('/upstream/done') });
    assert.equal(used.status, 303);
    const replay = await fresh.follow(second.step.url);
    assert.equal(replay.status, 422);
  });

  await t.test('link from the account, unlink, and the last way to sign in stays', async () => {
    const user = await api.user();
    idp.as({ sub: 'erin-1', email: 'erin@elsewhere.test', email_verified: true });
    const started = await api.request('POST', `/api/v1/auth/identities/${main.id}/link`, { token: user.token });
    assert.equal(started.status, 200, started.raw);
    // The callback alone links nothing (its URL may have been carried to someone else's browser): it asks, naming both.
    const linker = new Browser();
    const asked = await linker.follow(started.body.data.authorization_url);
    assert.equal(asked.status, 200, asked.html);
    assert.match(asked.html!, new RegExp(`erin@elsewhere\\.test.*<strong>${user.username}</strong>`, 's'));
    const none = await api.request('GET', '/api/v1/auth/identities', { token: user.token });
    assert.equal(none.body.data.length, 0);
    const id = /name="link" value="([^"]+)"/.exec(asked.html!)![1]!;
    const action = new URL(formAction(asked.html!, '/auth/link'), op.issuer).href;
    const forged = await linker.fetch(action, {
      form: { link: id, confirm: 'yes' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(forged.status, 403, 'a post from another site is refused');
    const done = await linker.follow(action, { form: { link: id, confirm: 'yes' } });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html!, /Account linked/);
    const replayed = await linker.follow(action, { form: { link: id, confirm: 'yes' } });
    assert.equal(replayed.status, 422);
    assert.match(replayed.html!, /expired or was already used/);
    const mine = await api.request('GET', '/api/v1/auth/identities', { token: user.token });
    assert.deepEqual(
      mine.body.data.map((i: { subject: string }) => i.subject),
      ['erin-1'],
    );

    // The same upstream account cannot be linked to a second user.
    const other = await api.user();
    const again = await api.request('POST', `/api/v1/auth/identities/${main.id}/link`, { token: other.token });
    const refused = await new Browser().follow(again.body.data.authorization_url);
    assert.equal(refused.status, 422);
    assert.match(refused.html!, /linked to another account/);

    const unlink = await api.request('DELETE', `/api/v1/auth/identities/${main.id}`, { token: user.token });
    assert.equal(unlink.status, 204);
    assert.equal((await api.request('GET', '/api/v1/auth/identities', { token: user.token })).body.data.length, 0);
    assert.equal((await auditOf('identity.unlinked')).filter((e) => e.target_id === user.id).length, 1);
    const gone = await api.request('DELETE', `/api/v1/auth/identities/${main.id}`, { token: user.token });
    assert.equal(gone.status, 404);

    // Alice was made by the provider: no password, so her identity is her only way in. As a moderator she signs in
    // to the console with it, and may not unlink it.
    await api.request('PATCH', `/api/v1/users/${alice}`, { token: admin.token, body: { role: 'moderator' } });
    idp.as({ sub: 'alice-1', email: 'alice@acme.test', email_verified: true });
    const browser = new Browser();
    const consoleIn = await browser.follow(`${op.issuer}/auth/upstream/${main.id}?to=console`, {
      stop: (u) => u.endsWith('/console/'),
    });
    assert.equal(consoleIn.url, `${op.issuer}/console/`);
    const refreshed = await browser.fetch(`${op.issuer}/console/api/session/refresh`, {
      method: 'POST',
      headers: { 'x-usher-console': '1' },
    });
    const session = (await refreshed.json()) as { access_token: string; user: { id: string } };
    assert.equal(session.user.id, alice, JSON.stringify(session));
    const last = await api.request('DELETE', `/api/v1/auth/identities/${main.id}`, { token: session.access_token });
    assert.equal(last.status, 422);
    assert.equal(last.body.error.details.reason, 'last_sign_in_method');
    const count = async () =>
      (await api.request('GET', '/api/v1/auth/identities', { token: session.access_token })).body.data.length;
    assert.equal(await count(), 1);

    // She links a second provider (Cancel first: nothing linked), then removes both at once: one removal waits for the
    // other (her row locked), so exactly one passes and a way to sign in stays.
    const linkClosed = async (button: 'confirm' | 'cancel') => {
      const started = await api.request('POST', `/api/v1/auth/identities/${closed.id}/link`, {
        token: session.access_token,
      });
      assert.equal(started.status, 200, started.raw);
      const asked = await browser.follow(started.body.data.authorization_url);
      const id = /name="link" value="([^"]+)"/.exec(asked.html!)![1]!;
      return browser.follow(`${op.issuer}/auth/link`, { form: { link: id, [button]: 'yes' } });
    };
    assert.match((await linkClosed('cancel')).html!, /Nothing linked/);
    assert.equal(await count(), 1);
    assert.match((await linkClosed('confirm')).html!, /Account linked/);
    assert.equal(await count(), 2);
    const both = await Promise.all(
      [main.id, closed.id].map((id) =>
        api.request('DELETE', `/api/v1/auth/identities/${id}`, { token: session.access_token }),
      ),
    );
    assert.deepEqual(both.map((r) => r.status).sort(), [204, 422]);
    assert.equal(await count(), 1);
  });

  await t.test('a wrong audience or nonce in the ID token refuses', async () => {
    const crafted = await startCraftedIdp();
    t.after(() => crafted.close());
    const p = await create({ type: 'oidc', issuer: crafted.issuer, client_id: 'crafted', client_secret: 'x' });
    const moderator = await api.withRole('moderator', { email: 'crafted@example.com' });
    void moderator;
    for (const claims of [() => ({ aud: 'another-client' }), () => ({ nonce: 'not-the-nonce' })]) {
      crafted.next(claims);
      const res = await new Browser().follow(`${op.issuer}/auth/upstream/${p.id}?to=console`);
      assert.equal(res.status, 422, res.html);
      assert.match(res.html!, /failed/);
    }
    // The same provider, answering what was asked, signs the moderator in to the console.
    crafted.next(({ nonce }) => ({ nonce }));
    const ok = await new Browser().follow(`${op.issuer}/auth/upstream/${p.id}?to=console`, {
      stop: (u) => u.endsWith('/console/'),
    });
    assert.equal(ok.url, `${op.issuer}/console/`);
    assert.match(ok.res.headers.getSetCookie().join(), /usher_console=/);
  });

  await t.test('bad input is a clear 4xx and changes nothing', async () => {
    const moderator = await api.withRole('moderator');
    const key = await api.apiKey();
    const body = { type: 'oidc', issuer: 'https://id.example.com', client_id: 'c' };
    const cases: Array<[number, Record<string, unknown>, { token?: string; apiKey?: string }]> = [
      [400, { ...body, type: 'saml' }, { token: admin.token }],
      [400, { ...body, issuer: 'ftp://id.example.com' }, { token: admin.token }],
      [400, { ...body, issuer: 'http://id.example.com' }, { token: admin.token }],
      [400, { type: 'oidc', client_id: 'c' }, { token: admin.token }],
      [400, { ...body, client_id: '' }, { token: admin.token }],
      [400, { ...body, scopes: ['profile'] }, { token: admin.token }],
      [400, { type: 'github', client_id: 'c', issuer: 'https://id.example.com' }, { token: admin.token }],
      [400, { ...body, client_secret: 5 }, { token: admin.token }],
      [403, body, { token: moderator.token }],
      [403, body, { apiKey: key.key }],
    ];
    const count = async () => (await db.selectFrom('identity_providers').select('id').execute()).length;
    const before = await count();
    for (const [status, b, auth] of cases) {
      const res = await api.request('POST', '/api/v1/identity-providers', { ...auth, body: b });
      assert.equal(res.status, status, `${JSON.stringify(b)}: ${res.raw}`);
    }
    assert.equal(await count(), before);
    assert.equal((await api.request('GET', '/api/v1/identity-providers', { token: moderator.token })).status, 200);
    const read = await api.request('GET', `/api/v1/users/${alice}`, { token: moderator.token });
    assert.equal(read.body.data.identities, undefined, 'identities are for admins');
    const unknown = await api.request('GET', '/api/v1/identity-providers/0192d6a8-0000-7000-8000-000000000000', {
      token: admin.token,
    });
    assert.equal(unknown.status, 404);
    const patch = await api.request('PATCH', `/api/v1/identity-providers/${main.id}`, {
      token: admin.token,
      body: { issuer: 'nope' },
    });
    assert.equal(patch.status, 400);
    // Subjects are unique per issuer only: an issuer does not change under linked identities (alice's).
    const moved = await api.request('PATCH', `/api/v1/identity-providers/${main.id}`, {
      token: admin.token,
      body: { issuer: 'https://id.example.com' },
    });
    assert.equal(moved.status, 422, moved.raw);
    assert.match(moved.body.error.message, /issuer cannot change while \d+ account\(s\) are linked/);
    assert.equal(
      (await api.request('GET', `/api/v1/identity-providers/${main.id}`, { token: admin.token })).body.data.issuer,
      idpIssuer,
    );
    // A provider that cannot be reached: a page naming it, the cause kept for the log.
    const down = await create({ type: 'oidc', issuer: 'http://127.0.0.1:1', client_id: 'c', display_name: 'Down ID' });
    const unreachable = await new Browser().follow(`${op.issuer}/auth/upstream/${down.id}?to=console`);
    assert.equal(unreachable.status, 422);
    assert.match(unreachable.html!, /The sign-in with Down ID failed/);
    assert.doesNotMatch(unreachable.html!, /127\.0\.0\.1/);
    const unlinked = await api.request('PATCH', `/api/v1/identity-providers/${down.id}`, {
      token: admin.token,
      body: { issuer: 'https://id.example.com' },
    });
    assert.equal(unlinked.status, 200, 'a provider nobody is linked to may move');
    const start = await new Browser().follow(`${op.issuer}/auth/upstream/not-a-provider?to=console`);
    assert.equal(start.status, 404);
    assert.match(start.html!, /<!doctype html>/);
  });

  await t.test(
    'a disabled provider has no button and does not start; deleting one unlinks its identities, not a last way in unforced',
    async () => {
      const off = await api.request('PATCH', `/api/v1/identity-providers/${closed.id}`, {
        token: admin.token,
        body: { enabled: false },
      });
      assert.equal(off.body.data.enabled, false);
      const start = await new Browser().follow(`${op.issuer}/auth/upstream/${closed.id}?to=console`);
      assert.equal(start.status, 404);
      const linkedAt = async (id: string) =>
        (await db.selectFrom('user_identities').selectAll().where('provider_id', '=', id).execute()).length;
      // Alice (no password) kept one of her two identities: that provider is her only way in.
      const kept = (
        await db
          .selectFrom('user_identities')
          .select('provider_id')
          .where('user_id', '=', alice)
          .executeTakeFirstOrThrow()
      ).provider_id;
      const other = kept === main.id ? closed.id : main.id;
      const path = (id: string) => `/api/v1/identity-providers/${id}`;
      const refused = await api.request('DELETE', path(kept), { token: admin.token });
      assert.equal(refused.status, 422, refused.raw);
      assert.equal(refused.body.error.details.users, 1);
      assert.match(refused.body.error.message, /leave 1 user\(s\) with no way to sign in/);
      assert.equal(await linkedAt(kept), kept === main.id ? 2 : 1, 'nothing unlinked');
      assert.equal((await api.request('DELETE', path(other), { token: admin.token })).status, 204);
      assert.equal((await api.request('DELETE', `${path(kept)}?force=true`, { token: admin.token })).status, 204);
      assert.equal(await linkedAt(main.id), 0);
      const deleted = (await auditOf('identity_provider.deleted')).map((e) => JSON.parse(e.details));
      assert.deepEqual(deleted.map((d) => d.provider_id).sort(), [main.id, closed.id].sort());
      assert.equal(deleted.find((d) => d.provider_id === kept).stranded, 1);
    },
  );
});
