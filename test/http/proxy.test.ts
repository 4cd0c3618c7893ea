import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** X-Forwarded-For counts only as USHER_TRUST_PROXY says: unset means the socket address. */

async function loginIp(
  env: Record<string, string>,
  remoteAddress: string,
  forwarded: string,
  t: Parameters<typeof build>[0],
): Promise<string> {
  const api = await build(t, env);
  const a = await api.register();
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
    payload: JSON.stringify({ username: a.username, password: PASSWORD }),
  });
  assert.equal(res.statusCode, 200);
  const admin = await api.admin();
  const events = await api.request('GET', `/api/v1/audit-events?type=user.login&target_id=${a.id}`, {
    token: admin.token,
  });
  return events.body.data[0].ip;
}

test('USHER_TRUST_PROXY: unset ignores X-Forwarded-For; addresses and CIDR ranges, true and hop counts trust as Fastify does', async (t) => {
  assert.equal(await loginIp({}, '10.1.2.3', '203.0.113.5', t), '10.1.2.3');
  assert.equal(
    await loginIp({ USHER_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }, '10.1.2.3', '203.0.113.5', t),
    '203.0.113.5',
  );
  assert.equal(
    await loginIp({ USHER_TRUST_PROXY: '10.0.0.0/8' }, '192.168.7.7', '203.0.113.5', t),
    '192.168.7.7',
    'a proxy outside the list is not trusted',
  );
  assert.equal(
    await loginIp({ USHER_TRUST_PROXY: 'true' }, '192.168.7.7', '203.0.113.5, 198.51.100.1', t),
    '203.0.113.5',
  );
  assert.equal(
    await loginIp({ USHER_TRUST_PROXY: '1' }, '192.168.7.7', '203.0.113.5, 198.51.100.1', t),
    '198.51.100.1',
    'one hop: the address the last proxy saw',
  );
});
