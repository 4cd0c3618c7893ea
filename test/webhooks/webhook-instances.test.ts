import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build, freshDatabaseUrl, tempDir } from '../support/helper.js';
import { receiver } from '../support/webhook-receiver.js';

/**
 * Two instances over one database (PostgreSQL, or one SQLite file), both workers polling every 10 ms against one
 * slow receiver: every event is delivered once, in order, never two of one endpoint's at once.
 */
test('two instances never send one delivery twice, nor two of an endpoint at once', async (t) => {
  const url =
    process.env.USHER_TEST_DIALECT === 'postgres' ? await freshDatabaseUrl(t) : `sqlite:${join(tempDir(), 'usher.db')}`;
  const env = { DATABASE_URL: url, USHER_WEBHOOK_ALLOW_PRIVATE: 'on' };
  const hook = await receiver();
  t.after(() => hook.down());
  hook.delayMs = 20;
  const one = await build(t, env, { webhookPollMs: 10 });
  const two = await build(t, env, { webhookPollMs: 10 });
  const admin = (await one.admin()).token;
  const made = await one.request('POST', '/api/v1/webhooks', {
    token: admin,
    body: { url: hook.url, event_types: ['user.created'] },
  });
  assert.equal(made.status, 201, made.raw);
  const names: string[] = [];
  for (let i = 0; i < 12; i++) names.push((await (i % 2 ? one : two).register()).username);
  // Both workers run on their timers; wait (not time) until everything was sent.
  for (let i = 0; i < 500 && hook.accepted.length < names.length; i++) await new Promise((r) => setTimeout(r, 20));
  await Promise.all([one.app.webhookWorker.idle(), two.app.webhookWorker.idle()]);
  const ids = hook.accepted.map((r) => r.headers['webhook-id']);
  assert.equal(ids.length, names.length);
  assert.equal(new Set(ids).size, names.length);
  assert.deepEqual(
    hook.accepted.map((r) => r.json.data.user.username),
    names,
  );
  assert.equal(hook.maxInFlight, 1);
});
