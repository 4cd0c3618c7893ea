import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliFixture } from '../support/cli.js';

/** Issue 25: `usher keys list` and `usher keys rotate`, as an operator runs them. */

test('usher keys list and rotate: the next key becomes current, the current one retires', async (t) => {
  const { usher } = await cliFixture(t);
  assert.equal(usher(['migrate']).status, 0);
  const listed = usher(['keys', 'list', '--json']);
  assert.equal(listed.status, 0, listed.stderr);
  const keys = JSON.parse(listed.stdout);
  assert.deepEqual(
    keys.map((k: { state: string; alg: string }) => [k.state, k.alg]),
    [
      ['next', 'ES256'],
      ['current', 'ES256'],
    ],
  );
  assert.deepEqual(Object.keys(keys[0]).sort(), ['alg', 'created_at', 'kid', 'retires_at', 'state']);
  const table = usher(['keys', 'list']);
  assert.match(table.stdout, /^KID\s+ALG\s+STATE\s+CREATED_AT\s+RETIRES_AT/m);

  const rotated = usher(['keys', 'rotate']);
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.match(rotated.stderr, new RegExp(`key ${keys[1].kid} retired`));
  const after = JSON.parse(usher(['keys', 'list', '--json']).stdout);
  const state = Object.fromEntries(after.map((k: { kid: string; state: string }) => [k.kid, k.state]));
  assert.equal(state[keys[0].kid], 'current');
  assert.equal(state[keys[1].kid], 'retired');
  assert.equal(after.length, 3);
  assert.doesNotMatch(rotated.stdout + usher(['keys', 'list', '--json']).stdout, /"d"|private/);
});

test('usher keys rotate with HS256 (USHER_JWT_SECRET) says where the key comes from, exit 1', async (t) => {
  const { usher } = await cliFixture(t, { USHER_JWT_SECRET: 'a-deployment-secret-of-at-least-32-bytes!' });
  const run = usher(['keys', 'rotate']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /USHER_JWT_SECRET/);
  assert.equal(usher(['keys', 'list', '--json']).stdout.trim(), '[]');
});
