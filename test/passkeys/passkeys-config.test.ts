import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

/** USHER_WEBAUTHN_RP_ID and USHER_WEBAUTHN_ORIGINS: their defaults, and the values that stop the start. */

test('the relying party defaults to USHER_PUBLIC_URL, else localhost and the port', () => {
  assert.deepEqual(loadConfig({ PORT: '4000' }).webauthn, {
    rpId: 'localhost',
    rpName: 'Usher',
    origins: ['http://localhost:4000'],
  });
  const c = loadConfig({ USHER_PUBLIC_URL: 'https://id.example.com/base/', USHER_BRAND_NAME: 'Acme' });
  assert.deepEqual(c.webauthn, { rpId: 'id.example.com', rpName: 'Acme', origins: ['https://id.example.com'] });
  const set = loadConfig({
    USHER_WEBAUTHN_RP_ID: 'Example.com',
    USHER_WEBAUTHN_ORIGINS: 'https://id.example.com, https://app.example.com:8443/',
  });
  assert.deepEqual(set.webauthn.origins, ['https://id.example.com', 'https://app.example.com:8443']);
  assert.equal(set.webauthn.rpId, 'example.com');
  // A server known by its address still starts (browsers refuse passkeys there).
  assert.equal(loadConfig({ USHER_PUBLIC_URL: 'http://10.0.0.5:3000' }).webauthn.rpId, '10.0.0.5');
});

test('a relying party no browser would accept stops the start, naming the variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ USHER_WEBAUTHN_RP_ID: '127.0.0.1' }, 'USHER_WEBAUTHN_RP_ID'],
    [{ USHER_WEBAUTHN_RP_ID: 'https://example.com' }, 'USHER_WEBAUTHN_RP_ID'],
    [{ USHER_WEBAUTHN_RP_ID: 'example.com' }, 'USHER_WEBAUTHN_RP_ID'],
    [{ USHER_PUBLIC_URL: 'https://id.example.com', USHER_WEBAUTHN_RP_ID: 'other.com' }, 'USHER_WEBAUTHN_RP_ID'],
    [{ USHER_WEBAUTHN_RP_ID: 'example.com', USHER_WEBAUTHN_ORIGINS: 'https://evil.com' }, 'USHER_WEBAUTHN_ORIGINS'],
    [
      { USHER_WEBAUTHN_RP_ID: 'example.com', USHER_WEBAUTHN_ORIGINS: 'https://notexample.com' },
      'USHER_WEBAUTHN_ORIGINS',
    ],
    [{ USHER_WEBAUTHN_ORIGINS: 'localhost:3000' }, 'USHER_WEBAUTHN_ORIGINS'],
    [{ USHER_WEBAUTHN_ORIGINS: 'http://localhost:3000/path' }, 'USHER_WEBAUTHN_ORIGINS'],
    [{ USHER_WEBAUTHN_ORIGINS: 'ftp://localhost' }, 'USHER_WEBAUTHN_ORIGINS'],
    [{ USHER_WEBAUTHN_ORIGINS: ' , ' }, 'USHER_WEBAUTHN_ORIGINS'],
  ];
  for (const [env, variable] of cases)
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && e.variable === variable,
      JSON.stringify(env),
    );
});
