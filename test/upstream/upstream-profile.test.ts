import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanEmail, cleanProfile } from '../../src/core/upstream/accounts.js';
import { profileOf } from '../../src/core/upstream/upstream-client.js';

/** What an OpenID provider's claims make of the person: when the email counts as verified. */
test('an email is verified only when the provider says so (Entra: xms_edov, microsoft only)', () => {
  const base = { sub: 's1', email: 'Pat@Example.COM' };
  assert.equal(profileOf('oidc', { ...base, email_verified: true }).emailVerified, true);
  assert.equal(profileOf('oidc', { ...base, email_verified: 'true' }).emailVerified, false);
  assert.equal(profileOf('google', base).emailVerified, false);
  assert.equal(profileOf('microsoft', base).emailVerified, false, 'Entra sends no email_verified');
  assert.equal(profileOf('microsoft', { ...base, xms_edov: true }).emailVerified, true);
  assert.equal(profileOf('microsoft', { ...base, xms_edov: false }).emailVerified, false);
  assert.equal(profileOf('oidc', { ...base, xms_edov: true }).emailVerified, false, 'only for the microsoft type');
});

test("the provider's address: valid by the users' rule and lower-cased, never folded into another", () => {
  assert.equal(cleanEmail('Pat@Example.COM'), 'pat@example.com');
  assert.equal(cleanEmail(null), null);
  for (const bad of ['not-an-email', 'pat@localhost', '\u212Aevin@acme.test', 'ａlice@acme.test', 'pat@exa mple.com'])
    assert.equal(cleanEmail(bad), null, bad);
  assert.deepEqual(
    cleanProfile({
      subject: 's',
      email: '\u212Aevin@acme.test',
      emailVerified: true,
      username: null,
      firstName: null,
      lastName: null,
    }),
    { subject: 's', email: null, emailVerified: false, username: null, firstName: null, lastName: null },
  );
});
