import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SDK_TYPES_FILE, generateSdkTypes } from '../../scripts/sdk-types.js';

test('the SDK types checked in (packages/client/src/api-types.ts) are what the OpenAPI document generates', async () => {
  const expected = (await generateSdkTypes()).split('\n');
  const actual = readFileSync(SDK_TYPES_FILE, 'utf8').split('\n');
  const line = expected.findIndex((text, i) => text !== actual[i]);
  const at = line === -1 && actual.length !== expected.length ? Math.min(actual.length, expected.length) : line;
  assert.equal(
    at,
    -1,
    `api-types.ts is stale (first difference at line ${at + 1}: ${JSON.stringify(actual[at])} should be ${JSON.stringify(expected[at])}); run \`npm run sdk:types\``,
  );
});
