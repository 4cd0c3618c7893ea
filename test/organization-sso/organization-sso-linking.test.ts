import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDIRECT, formAction, freePort, startIssuer } from '../support/oidc.js';
import { authorization } from '../support/hosted-flow.js';
import { Browser } from '../support/upstream-flow.js';
import { startLocalIdp } from '../support/upstream-idp.js';
import { makeOrganization } from './org-fixture.js';

/**
 * An organization's provider is run by the customer, not by the deployment: whatever it says of an address outside the
 * organization's domains (email_verified included) never links it to the account of that address.
 */
test('an organization provider cannot sign in as an account outside its domains by naming its verified address', async (t) => {
  const idpPort = await freePort();
  const op = await startIssuer(t, { USHER_OUTBOUND_ALLOW_PRIVATE: 'on' });
  const api = op.api;
  const db = api.database.db;
  const admin = await api.admin();
  const acme = await makeOrganization(db, 'Acme Corp', ['acme.test']);
  const made = await api.request('PUT', `/api/v1/organizations/${acme}/sso`, {
    token: admin.token,
    body: { type: 'oidc', issuer: `http://127.0.0.1:${idpPort}`, client_id: 'usher', client_secret: 's5' },
  });
  assert.equal(made.status, 201, made.raw);
  const idp = await startLocalIdp(
    [{ client_id: 'usher', client_secret: 's5', redirect_uris: [made.body.data.redirect_uri] }],
    idpPort,
  );
  t.after(() => idp.close());
  const app = await op.application({ name: 'Shop', type: 'web', redirect_uris: [REDIRECT], first_party: true });
  const rp = await op.relyingParty(app);

  // Another company's user (verified: an admin made the account), and Usher's own moderator.
  const victim = await api.withRole('user');
  const staff = await api.withRole('moderator');
  const signIn = async (email: string, sub: string) => {
    idp.as({ sub, email, email_verified: true, preferred_username: 'x' });
    const browser = new Browser();
    const pending = await authorization(rp, REDIRECT);
    const login = await browser.follow(pending.url);
    const action = new URL(formAction(login.html!, '/identify'), op.issuer).href;
    // Any address at the organization's domain routes to its provider; the provider then answers as it likes.
    const step = await browser.follow(action, { form: { login: 'someone@acme.test' } });
    return step;
  };

  for (const [target, sub] of [
    [victim, 'evil-1'],
    [staff, 'evil-2'],
  ] as const) {
    const step = await signIn(`${target.username}@example.com`, sub);
    assert.ok(!step.url.startsWith(REDIRECT), `no sign-in as ${target.username}: ${step.url}`);
    assert.equal(step.status, 422, step.html);
    assert.match(step.html!, /exists already/);
    const linked = await db.selectFrom('user_identities').select('user_id').where('subject', '=', sub).execute();
    assert.deepEqual(linked, [], 'nothing linked');
    const member = await db
      .selectFrom('organization_members')
      .select('user_id')
      .where('user_id', '=', target.id)
      .execute();
    assert.deepEqual(member, [], 'and no membership');
  }

  // An address at its domains still signs in (and is made, the admin vouched for the domain).
  const ok = await signIn('ann@acme.test', 'ann-1');
  assert.ok(ok.url.startsWith(REDIRECT), ok.html);
});
