import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainOf } from './org-sign-in.js';

test('domainOf: the lower-case domain after the last @, or null', () => {
  assert.equal(domainOf('Ann@ACME.test'), 'acme.test');
  assert.equal(domainOf('"a@b"@acme-corp.test'), 'acme-corp.test');
  assert.equal(domainOf('alice'), null);
  assert.equal(domainOf('alice@'), null);
  assert.equal(domainOf(''), null);
  assert.equal(domainOf(null), null);
  assert.equal(domainOf('a@acme.test\u0000x'), null);
  assert.equal(domainOf('a@exämple.test'), null);
  assert.equal(domainOf(`a@${'x'.repeat(254)}`), null);
});
