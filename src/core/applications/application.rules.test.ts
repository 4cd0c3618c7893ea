import assert from 'node:assert/strict';
import { test } from 'node:test';
import safeRegex from 'safe-regex2';
import {
  type ApplicationFields,
  SCOPE_PATTERN,
  changedFields,
  checkApplication,
  defaultScopes,
  newFields,
  redirectUriProblem,
} from './application.rules.js';

const web = (f: Partial<ApplicationFields> = {}): ApplicationFields => ({
  name: 'Shop',
  redirectUris: ['https://shop.example.com/callback'],
  postLogoutRedirectUris: [],
  scopes: ['openid', 'profile'],
  firstParty: false,
  logoUri: null,
  ...f,
});

test('redirect URIs: https anywhere, http only on loopback, private-use schemes only for native apps', () => {
  for (const uri of [
    'https://app.example.com/cb',
    'https://app.example.com:8443/cb?x=1',
    'http://localhost:3000/cb',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
  ])
    assert.equal(redirectUriProblem(uri, 'web'), undefined, uri);
  assert.equal(redirectUriProblem('com.example.app:/callback', 'native'), undefined);
  assert.match(redirectUriProblem('com.example.app:/callback', 'web')!, /https/);
  assert.match(redirectUriProblem('http://app.example.com/cb', 'web')!, /https/);
  assert.match(redirectUriProblem('http://localhost.evil.com/cb', 'spa')!, /https/);
  assert.match(redirectUriProblem('https://app.example.com/cb#x', 'web')!, /fragment/);
  assert.match(redirectUriProblem('https://*.example.com/cb', 'web')!, /wildcard/);
  assert.match(redirectUriProblem('/callback', 'web')!, /absolute/);
  assert.match(redirectUriProblem('https://user:pw@app.example.com/cb', 'web')!, /user name/);
  assert.match(redirectUriProblem('https://app.example.com/a b', 'web')!, /spaces/);
  assert.match(redirectUriProblem(`https://example.com/${'a'.repeat(2000)}`, 'web')!, /at most 2000/);
  // Schemes that are no reversed domain name are never a native app's either.
  for (const uri of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'myapp:/cb'])
    assert.ok(redirectUriProblem(uri, 'native'), uri);
});

test('an application: name, redirect URIs by type, scopes by type, logo over https', () => {
  assert.deepEqual(checkApplication('web', web()), {});
  assert.match(checkApplication('web', web({ name: '  ' })).name!, /blank|empty/);
  assert.match(checkApplication('web', web({ name: 'x'.repeat(101) })).name!, /100/);
  assert.match(checkApplication('spa', web({ redirectUris: [] })).redirect_uris!, /at least one/);
  assert.match(
    checkApplication('web', web({ redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) }))
      .redirect_uris!,
    /At most 20/,
  );
  assert.match(
    checkApplication('web', web({ redirectUris: ['https://a.example/ok', 'http://a.example/no'] })).redirect_uris!,
    /^redirect_uris\[1\] must use https/,
  );
  assert.match(
    checkApplication('web', web({ postLogoutRedirectUris: ['https://a.example/#'] })).post_logout_redirect_uris!,
    /fragment/,
  );
  assert.match(checkApplication('machine', web()).redirect_uris!, /no redirect URIs/);
  assert.match(checkApplication('web', web({ scopes: ['profile'] })).scopes!, /openid/);
  assert.match(checkApplication('web', web({ scopes: ['openid', 'bad scope'] })).scopes!, /letters/);
  const machine = web({ redirectUris: [], scopes: ['openid', 'users:read'] });
  assert.match(checkApplication('machine', machine).scopes!, /no user scopes \(openid\)/);
  assert.deepEqual(checkApplication('machine', { ...machine, scopes: ['users:read'] }), {});
  assert.deepEqual(checkApplication('machine', { ...machine, scopes: [] }), {});
  assert.match(checkApplication('web', web({ logoUri: 'http://a.example/logo.png' })).logo_uri!, /https/);
  assert.deepEqual(checkApplication('web', web({ logoUri: 'https://a.example/logo.png' })), {});
});

test('defaults and changes: scopes by type, repeats removed, absent fields kept, null clears the logo', () => {
  assert.deepEqual(defaultScopes('web'), ['openid', 'profile', 'email', 'offline_access']);
  assert.deepEqual(defaultScopes('native'), ['openid', 'profile', 'email', 'offline_access']);
  assert.deepEqual(defaultScopes('spa'), ['openid', 'profile', 'email']);
  assert.deepEqual(defaultScopes('machine'), []);
  const made = newFields({ name: ' Shop ', type: 'spa', redirectUris: ['https://a.example/', 'https://a.example/'] });
  assert.deepEqual(made, {
    name: 'Shop',
    redirectUris: ['https://a.example/'],
    postLogoutRedirectUris: [],
    scopes: ['openid', 'profile', 'email'],
    firstParty: false,
    logoUri: null,
  });
  const logo = { ...made, logoUri: 'https://a.example/l.png' };
  assert.deepEqual(changedFields(logo, { firstParty: true }), { ...logo, firstParty: true });
  assert.equal(changedFields(logo, { logoUri: null }).logoUri, null);
  assert.deepEqual(changedFields(logo, { redirectUris: ['https://b.example/'] }).redirectUris, ['https://b.example/']);
});

test('the scope pattern is linear-time', () => {
  assert.ok(safeRegex(SCOPE_PATTERN));
});
