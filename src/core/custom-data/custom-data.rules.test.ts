import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import { CUSTOM_DATA_MAX_BYTES, customDataOf, customDataText } from './custom-data.rules.js';

test('custom_data must be a JSON object', () => {
  for (const bad of [null, [], 'x', 1, true]) assert.throws(() => customDataText(bad), AppError);
  assert.equal(customDataText({ a: 1 }), '{"a":1}');
});

test('custom_data is at most 16 KiB of UTF-8 JSON', () => {
  const fits = { k: 'x'.repeat(CUSTOM_DATA_MAX_BYTES - 8) };
  assert.equal(Buffer.byteLength(customDataText(fits)), CUSTOM_DATA_MAX_BYTES);
  assert.throws(() => customDataText({ k: 'x'.repeat(CUSTOM_DATA_MAX_BYTES - 7) }), AppError);
  // Multi-byte characters count as their bytes, not their UTF-16 units.
  assert.throws(() => customDataText({ k: 'é'.repeat(CUSTOM_DATA_MAX_BYTES / 2) }), AppError);
});

test('stored text reads back, and none reads as {}', () => {
  assert.deepEqual(customDataOf(null), {});
  assert.deepEqual(customDataOf('{"a":[1]}'), { a: [1] });
});
