import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliFixture } from '../support/cli.js';

/** `usher webhook …` as an operator runs it: the secret printed once, never listed; deliveries queued for the server. */
test('usher webhook: add, list, update, test, deliveries, rotate-secret, remove; misuse refused', async (t) => {
  const { usher, admin } = await cliFixture(t);
  assert.match(usher(['--help']).stdout, /\n {2}webhook add +\S/);
  assert.equal(usher(['migrate']).status, 0);
  assert.equal(admin().status, 0);

  const added = usher([
    'webhook',
    'add',
    '--url',
    'https://hooks.example.com/usher',
    '--event',
    'user.created',
    '--json',
  ]);
  assert.equal(added.status, 0, added.stderr);
  const hook = JSON.parse(added.stdout);
  assert.match(hook.secret, /^whsec_/);
  assert.deepEqual(hook.event_types, ['user.created']);

  const list = usher(['webhook', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /hooks\.example\.com/);
  assert.ok(!list.stdout.includes('whsec_'));

  const updated = usher(['webhook', 'update', hook.id, '--description', 'CRM', '--disabled', '--json']);
  assert.equal(updated.status, 0, updated.stderr);
  assert.equal(JSON.parse(updated.stdout).enabled, false);

  const queued = usher(['webhook', 'test', hook.id, '--json']);
  assert.equal(queued.status, 0, queued.stderr);
  assert.equal(JSON.parse(queued.stdout).event_type, 'webhook.test');
  const deliveries = usher(['webhook', 'deliveries', hook.id, '--status', 'pending', '--json']);
  assert.equal(deliveries.status, 0, deliveries.stderr);
  assert.equal(JSON.parse(deliveries.stdout)[0].status, 'pending');

  const rotated = usher(['webhook', 'rotate-secret', hook.id, '--json']);
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.notEqual(JSON.parse(rotated.stdout).secret, hook.secret);

  assert.notEqual(usher(['webhook', 'add', '--url', 'https://10.1.2.3/x']).status, 0);
  assert.notEqual(usher(['webhook', 'add']).status, 0);
  assert.notEqual(usher(['webhook', 'deliveries', hook.id, '--status', 'lost']).status, 0);
  assert.equal(usher(['webhook', 'remove', hook.id]).status, 0);
  assert.match(usher(['webhook', 'list', '--json']).stdout, /^\[\]\s*$/);
});
