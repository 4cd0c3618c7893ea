import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PASSWORD, tempDir } from '../support/helper.js';
import { call, freshSchema, startServer } from '../support/servers.js';
import { receiver } from '../support/webhook-receiver.js';

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 600 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(done(), `waited in vain for ${what}`);
};

/**
 * `kill -9` of a real server (dist/server.js) while its delivery hangs at the receiver: a second server over the same
 * database sends it once the dead one's claim lapses (15 s), with the same webhook-id. Needs `node
 * scripts/build-server.mjs`.
 */
test('kill -9 mid-delivery loses nothing: another instance delivers it, same webhook-id', async (t) => {
  let url = `sqlite:${join(tempDir(), 'usher.db')}`;
  if (process.env.USHER_TEST_DIALECT === 'postgres') {
    const schema = await freshSchema(process.env.TEST_DATABASE_URL!);
    t.after(() => schema.drop());
    url = schema.url;
  }
  const env = {
    DATABASE_URL: url,
    USHER_WEBHOOK_ALLOW_PRIVATE: 'on',
    USHER_RATE_LIMIT: 'off',
    USHER_ADMIN_USERNAME: 'root_admin',
    USHER_ADMIN_EMAIL: 'root@example.com',
    USHER_ADMIN_PASSWORD: PASSWORD,
  };
  const hook = await receiver();
  t.after(() => hook.down());
  hook.mode = 'hang';
  const first = await startServer(env);
  // Killed below; killed here too if the test fails before (stop() would wait for an exit that happened).
  t.after(() => void first.child.kill('SIGKILL'));
  const login = await call(first.base, 'POST', '/api/v1/auth/login', {
    body: { username: 'root_admin', password: PASSWORD },
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.data?.access_token ?? login.body.access_token;
  const made = await call(first.base, 'POST', '/api/v1/webhooks', { token, body: { url: hook.url } });
  assert.equal(made.status, 201);
  const user = await call(first.base, 'POST', '/api/v1/users', {
    body: { username: 'crash_victim', email: 'crash@example.com', password: PASSWORD },
  });
  assert.equal(user.status, 201);
  await until(() => hook.seen.some((r) => r.json.type === 'user.created'), 'the first attempt');
  const messageId = hook.seen.find((r) => r.json.type === 'user.created')!.headers['webhook-id'];
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));

  hook.mode = 'ok';
  const second = await startServer(env);
  t.after(() => second.stop());
  await until(() => hook.accepted.some((r) => r.json.type === 'user.created'), 'the delivery after the crash');
  const delivered = hook.accepted.filter((r) => r.json.type === 'user.created');
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0]!.headers['webhook-id'], messageId);
  assert.equal(delivered[0]!.json.data.user.username, 'crash_victim');
});
