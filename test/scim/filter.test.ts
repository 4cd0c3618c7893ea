import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../src/core/errors.js';
import { parseFilter } from '../../src/core/scim/filter.js';
import { groupQuery, userQuery } from '../../src/core/scim/query.js';

const user = (f: string) => userQuery(parseFilter(f));

test('filter: operators, and/or/not, parentheses, case-insensitive names, value paths', () => {
  assert.deepEqual(user('UserName EQ "Ada@Example.com"'), {
    kind: 'compare',
    op: 'eq',
    column: 'userName',
    value: 'ada@example.com',
  });
  assert.deepEqual(
    user('externalId eq "AbC"'),
    { kind: 'compare', op: 'eq', column: 'externalId', value: 'AbC' },
    'externalId is caseExact',
  );
  assert.deepEqual(user('emails[type eq "work"].value eq "A@B.com"'), {
    kind: 'and',
    left: { kind: 'const', value: true },
    right: { kind: 'compare', op: 'eq', column: 'email', value: 'a@b.com' },
  });
  assert.deepEqual(user('emails[type eq "home"]'), { kind: 'const', value: false });
  assert.deepEqual(user('not (active eq false)'), { kind: 'not', query: { kind: 'active', value: false } });
  assert.deepEqual(user('userName ne "x"'), {
    kind: 'not',
    query: { kind: 'compare', op: 'eq', column: 'userName', value: 'x' },
  });
  assert.deepEqual(user('externalId pr'), { kind: 'present', column: 'externalId' });
  assert.equal(user('(userName sw "a" or userName ew "b") and name.givenName co "c"').kind, 'and');
  assert.equal(user('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"').kind, 'compare');
  assert.deepEqual(user('meta.lastModified gt "2026-01-01T00:00:00Z"'), {
    kind: 'compare',
    op: 'gt',
    column: 'lastModified',
    value: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual(groupQuery(parseFilter('displayName eq "Finance"')), {
    kind: 'compare',
    op: 'eq',
    column: 'displayName',
    value: 'finance',
  });
});

test('filter: what cannot be answered is invalidFilter', () => {
  for (const bad of [
    '',
    'userName',
    'userName eq',
    'userName xx "a"',
    'password eq "a"',
    'userName eq "a" and',
    '(userName eq "a"',
    'userName eq "a")',
    'active gt true',
    'meta.created co "2020"',
    'userName eq 5',
    'emails[value eq "a"][x]',
    '"a" eq userName',
    'userName eq "unterminated',
    `${'('.repeat(40)}userName eq "a"${')'.repeat(40)}`,
    Array.from({ length: 70 }, () => 'userName eq "a"').join(' or '),
    'x'.repeat(3000),
  ]) {
    assert.throws(
      () => user(bad),
      (e: unknown) => e instanceof AppError && e.details?.scimType === 'invalidFilter',
      bad.slice(0, 60),
    );
  }
});

test('filter fuzz: any text either parses or is the SCIM 400, never another error', () => {
  const pieces = fc.constantFrom(
    'userName',
    'emails',
    '[',
    ']',
    '.value',
    'type',
    'eq',
    'ne',
    'co',
    'sw',
    'pr',
    'gt',
    'and',
    'or',
    'not',
    '(',
    ')',
    '"a"',
    '"\\"',
    'true',
    'null',
    '5',
    'externalId',
    'active',
    ' ',
    'urn:x:y',
    '\u0000',
    '\uD800',
  );
  const filters = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(pieces, { maxLength: 40 }).map((p) => p.join(' ')),
  );
  fc.assert(
    fc.property(filters, (text) => {
      try {
        user(text);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'VALIDATION_ERROR' && e.details?.scimType === 'invalidFilter'))
          throw e;
      }
    }),
    { numRuns: 3000 },
  );
});
