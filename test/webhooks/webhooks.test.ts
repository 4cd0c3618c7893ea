import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, type TestApp, build, unique } from '../support/helper.js';
import { WebhookVerificationError, verifyWebhook } from '../../packages/client/src/server.js';
import { receiver } from '../support/webhook-receiver.js';
import { systemPrincipal } from '../../src/core/types.js';

/**
 * Webhooks end to end: a real receiver on 127.0.0.1 (USHER_WEBHOOK_ALLOW_PRIVATE=on) checks every signature with
 * the standardwebhooks package. The app's worker is driven by hand (tick, then wait until idle) and its clock moved
 * past the retry delays.
 */
describe('webhooks', () => {
  let api: TestApp;
  let admin: string;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let endpoint: { id: string; secret: string };

  const pump = async () => {
    await api.app.webhookWorker.tick();
    await api.app.webhookWorker.idle();
  };
  const deliveries = async (id = endpoint.id, query = '') =>
    (await api.request('GET', `/api/v1/webhooks/${id}/deliveries${query}`, { token: admin })).body;

  const cleanups: Array<() => Promise<void>> = [];
  before(async () => {
    const ctx = { after: (fn: () => Promise<void>) => cleanups.push(fn) } as never;
    api = await build(ctx, { USHER_WEBHOOK_ALLOW_PRIVATE: 'on' }, { webhookPollMs: 3_600_000 });
    admin = (await api.login('root_admin')).access_token;
    hook = await receiver();
    const res = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: hook.url, description: 'CRM sync' },
    });
    assert.equal(res.status, 201, res.raw);
    assert.match(res.body.data.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.deepEqual(res.body.data.event_types, ['*']);
    endpoint = { id: res.body.data.id, secret: res.body.data.secret };
  });
  after(async () => {
    await hook.down();
    for (const fn of cleanups.reverse()) await fn();
  });

  test('admins change endpoints, moderators read them, nobody reads a secret again', async () => {
    const mod = await api.withRole('moderator');
    const list = await api.request('GET', '/api/v1/webhooks', { token: mod.token });
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((w: { id: string }) => w.id === endpoint.id));
    assert.ok(!list.raw.includes('whsec_'));
    const one = await api.request('GET', `/api/v1/webhooks/${endpoint.id}`, { token: mod.token });
    assert.equal(one.status, 200);
    assert.equal(one.body.data.secret, undefined);
    for (const [method, url] of [
      ['POST', '/api/v1/webhooks'],
      ['PATCH', `/api/v1/webhooks/${endpoint.id}`],
      ['POST', `/api/v1/webhooks/${endpoint.id}/secret`],
      ['POST', `/api/v1/webhooks/${endpoint.id}/test`],
      ['DELETE', `/api/v1/webhooks/${endpoint.id}`],
    ] as const) {
      const res = await api.request(method, url, {
        token: mod.token,
        body: method === 'DELETE' ? undefined : { url: hook.url },
      });
      assert.equal(res.status, 403, `${method} ${url}: ${res.raw}`);
    }
    const user = await api.user();
    assert.equal((await api.request('GET', '/api/v1/webhooks', { token: user.token })).status, 403);
    const bad = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: 'ftp://example.com/x', event_types: ['user.created'] },
    });
    assert.equal(bad.status, 400, bad.raw);
    const unknown = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: hook.url, event_types: ['user.nonsense'] },
    });
    assert.equal(unknown.status, 400, unknown.raw);
    // A retried creation (Idempotency-Key) answers the same endpoint without its secret, which is never stored there.
    const retry = { token: admin, body: { url: hook.url }, headers: { 'idempotency-key': 'hook-retry-1' } };
    const once = await api.request('POST', '/api/v1/webhooks', retry);
    const again = await api.request('POST', '/api/v1/webhooks', retry);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.data.id, once.body.data.id);
    assert.equal(again.body.data.secret, null);
    const stored = JSON.stringify(await api.database.db.selectFrom('idempotency_keys').selectAll().execute());
    assert.ok(!stored.includes(once.body.data.secret));
    await api.request('DELETE', `/api/v1/webhooks/${once.body.data.id}`, { token: admin });
    const audit = await api.request('GET', '/api/v1/audit-events?type=webhook.created', { token: admin });
    assert.ok(audit.body.data.length >= 1);
    assert.ok(!audit.raw.includes('whsec_'));
  });

  test('an event per change, signed, with the public user and the actor; none for a refused change', async () => {
    const before = hook.accepted.length;
    const username = unique('hook');
    const made = await api.request('POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD },
    });
    assert.equal(made.status, 201);
    const id = made.body.data.id;
    const again = await api.request('POST', '/api/v1/users', {
      body: { username, email: `${username}@example.com`, password: PASSWORD },
    });
    assert.equal(again.status, 409);
    const tokens = await api.login(username);
    const patched = await api.request('PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { first_name: 'Ada', role: 'moderator' },
    });
    assert.equal(patched.status, 200, patched.raw);
    const out = await api.request('POST', '/api/v1/auth/logout', {
      token: tokens.access_token,
      body: { refresh_token: tokens.refresh_token },
    });
    assert.ok(out.status < 300, out.raw);
    await pump();
    const mine = hook.accepted.slice(before).filter((r) => JSON.stringify(r.json.data).includes(id));
    assert.deepEqual(
      mine.map((r) => r.json.type),
      ['user.created', 'session.created', 'user.role_changed', 'user.updated', 'session.revoked'],
    );
    for (const r of mine) {
      hook.verify(r, endpoint.secret);
      assert.match(String(r.headers['webhook-id']), /^msg_[0-9a-f]{32}$/);
      assert.match(r.headers['webhook-signature'] as string, /^v1,[A-Za-z0-9+/=]+$/);
      assert.doesNotMatch(r.body, /"password":|_hash|refresh_token|access_token|whsec_/i);
    }
    const created = mine[0]!.json;
    assert.equal(created.data.user.id, id);
    assert.equal(created.data.user.username, username);
    assert.equal(created.data.actor, null);
    assert.equal(mine[2]!.json.data.actor.id, (await api.admin()).id);
    assert.equal(mine[2]!.json.data.to, 'moderator');
    const list = await deliveries(endpoint.id, '?status=succeeded&limit=2');
    assert.equal(list.data.length, 2);
    assert.ok(list.pagination.next_cursor);
    const next = await deliveries(endpoint.id, `?status=succeeded&limit=2&cursor=${list.pagination.next_cursor}`);
    assert.ok(next.data.every((d: { id: string }) => d.id < list.data[1].id));
    assert.equal(list.data[0].status, 'succeeded');
    assert.equal(list.data[0].response_status, 204);
    assert.equal(typeof list.data[0].duration_ms, 'number');
  });

  test('a failing receiver gets every event once it is back, in order, each with its own webhook-id kept', async () => {
    hook.mode = 'fail';
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push((await api.register()).username);
    await pump();
    // One at a time per endpoint: only the oldest was tried.
    assert.equal(new Set(hook.refused.map((r) => r.headers['webhook-id'])).size, 1);
    const firstId = hook.refused[0]!.headers['webhook-id'];
    const pending = await deliveries(endpoint.id, '?status=pending');
    assert.equal(pending.data.length, 3);
    assert.equal(pending.data[2].attempts, 1);
    assert.equal(pending.data[2].response_status, 500);
    // The dashboard's figures count the delivery being retried.
    const summary = await api.request('GET', '/api/v1/stats/summary', { token: (await api.admin()).token });
    assert.equal(summary.body.data.webhooks.failing, 1, summary.raw);
    api.clock.advance(6_000);
    await pump();
    assert.equal(hook.refused.length, 2);
    assert.equal(hook.refused[1]!.headers['webhook-id'], firstId);
    // Down for a while: refused connections are failures too.
    hook.mode = 'ok';
    const port = hook.port;
    await hook.down();
    api.clock.advance(40_000);
    await pump();
    assert.equal((await deliveries(endpoint.id, '?status=pending')).data[2].attempts, 3);
    await hook.up();
    assert.equal(hook.port, port);
    const before = hook.accepted.length;
    api.clock.advance(150_000);
    await pump();
    const back = hook.accepted.slice(before);
    assert.deepEqual(
      back.map((r) => r.json.data.user.username),
      names,
    );
    assert.equal(back[0]!.headers['webhook-id'], firstId);
    assert.equal((await deliveries(endpoint.id, '?status=pending')).data.length, 0);
  });

  test('a receiver that hangs is given up on after 10 s and tried again', async () => {
    hook.mode = 'hang';
    await api.register();
    await pump();
    const [d] = (await deliveries(endpoint.id, '?status=pending')).data;
    assert.equal(d.attempts, 1);
    assert.match(d.last_error, /did not answer|aborted/);
    hook.mode = 'ok';
    const before = hook.accepted.length;
    api.clock.advance(6_000);
    await pump();
    assert.equal(hook.accepted.length, before + 1);
    assert.equal(hook.accepted.at(-1)!.headers['webhook-id'], d.message_id);
  });

  test('a rotated secret: both signatures for 24 h, then only the new one', async () => {
    const res = await api.request('POST', `/api/v1/webhooks/${endpoint.id}/secret`, { token: admin });
    assert.equal(res.status, 200, res.raw);
    const fresh = res.body.data.secret as string;
    assert.notEqual(fresh, endpoint.secret);
    const test1 = await api.request('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: admin });
    assert.equal(test1.status, 202, test1.raw);
    await pump();
    const r = hook.accepted.at(-1)!;
    assert.equal(r.json.type, 'webhook.test');
    assert.equal((r.headers['webhook-signature'] as string).split(' ').length, 2);
    hook.verify(r, fresh);
    hook.verify(r, endpoint.secret);
    // The SDK's verifyWebhook agrees, with either secret, and refuses a changed body or an old delivery.
    const headers = r.headers as Record<string, string>;
    const event = await verifyWebhook(fresh, r.body, headers);
    assert.equal(event.type, 'webhook.test');
    assert.equal((await verifyWebhook([endpoint.secret], r.body, headers)).type, 'webhook.test');
    await assert.rejects(verifyWebhook(fresh, r.body.replace('test', 'tset'), headers), WebhookVerificationError);
    await assert.rejects(verifyWebhook(fresh, r.body, headers, { now: Date.now() + 600_000 }), /too old/);
    api.clock.advance(25 * 3600_000);
    admin = (await api.login('root_admin')).access_token;
    const test2 = await api.request('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: admin });
    assert.equal(test2.status, 202, test2.raw);
    await pump();
    const later = hook.accepted.filter((x) => x.json.type === 'webhook.test').at(-1)!;
    assert.notEqual(later, r);
    assert.equal((later.headers['webhook-signature'] as string).split(' ').length, 1);
    hook.verify(later, fresh);
    assert.throws(() => hook.verify(later, endpoint.secret));
    endpoint.secret = fresh;
  });

  test('a delivery resent goes again with the same webhook-id', async () => {
    const [last] = (await deliveries(endpoint.id, '?status=succeeded&limit=1')).data;
    const res = await api.request('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${last.id}/resend`, {
      token: admin,
    });
    assert.equal(res.status, 202, res.raw);
    assert.equal(res.body.data.status, 'pending');
    const before = hook.accepted.length;
    await pump();
    assert.equal(hook.accepted.length, before + 1);
    assert.equal(hook.accepted.at(-1)!.headers['webhook-id'], last.message_id);
    hook.verify(hook.accepted.at(-1)!, endpoint.secret);
    const missing = await api.request(
      'POST',
      `/api/v1/webhooks/${endpoint.id}/deliveries/01900000-0000-7000-8000-000000000000/resend`,
      { token: admin },
    );
    assert.equal(missing.status, 404);
  });

  test('a delivery is reached only under its own endpoint; moderators and keys cannot resend, test or rotate', async () => {
    const [mine] = (await deliveries(endpoint.id, '?limit=1')).data;
    const other = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: hook.url, event_types: ['user.deleted'] },
    });
    assert.equal(other.status, 201, other.raw);
    const otherId = other.body.data.id;
    const crossed = await api.request('POST', `/api/v1/webhooks/${otherId}/deliveries/${mine.id}/resend`, {
      token: admin,
    });
    assert.equal(crossed.status, 404, crossed.raw);
    assert.ok(!crossed.raw.includes(mine.message_id));
    assert.ok(!(await deliveries(otherId)).data.some((d: { id: string }) => d.id === mine.id));
    const [again] = (await deliveries(endpoint.id, `?limit=1`)).data;
    assert.equal(again.attempts, mine.attempts, 'the crossed resend changed nothing');
    // Made with this suite's admin token (the helper's own admin session is older than the clock moved here).
    const mod = await api.register();
    await api.request('PATCH', `/api/v1/users/${mod.id}`, { token: admin, body: { role: 'moderator' } });
    const modToken = (await api.login(mod.username)).access_token;
    const key = await api.request('POST', '/api/v1/api-keys', { token: admin, body: { name: 'hooks-key' } });
    assert.equal(key.status, 201, key.raw);
    // Its event names the key (id, name, role), never the key itself.
    const keyEvents = await api.database.db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('event_type', '=', 'api_key.created')
      .execute();
    assert.ok(keyEvents.some((e) => e.payload.includes(key.body.data.id)));
    assert.ok(keyEvents.every((e) => !e.payload.includes(key.body.data.key)));
    for (const auth of [{ token: modToken }, { apiKey: key.body.data.key as string }])
      for (const [method, url] of [
        ['POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${mine.id}/resend`],
        ['POST', `/api/v1/webhooks/${endpoint.id}/test`],
        ['POST', `/api/v1/webhooks/${endpoint.id}/secret`],
        ['PATCH', `/api/v1/webhooks/${endpoint.id}`],
      ] as const) {
        const res = await api.request(method, url, {
          ...auth,
          body: method === 'PATCH' ? { enabled: false } : undefined,
        });
        assert.equal(res.status, 403, `${method} ${url}: ${res.raw}`);
        assert.ok(!res.raw.includes('whsec_'));
      }
    assert.equal(
      (await api.request('GET', `/api/v1/webhooks/${endpoint.id}`, { token: admin })).body.data.enabled,
      true,
    );
    await api.request('DELETE', `/api/v1/webhooks/${otherId}`, { token: admin });
  });

  test('an import of new users sends no per-user events (docs/decisions.md): the receiver resynchronises', async () => {
    const count = async () =>
      Number(
        (
          await api.database.db
            .selectFrom('webhook_deliveries')
            .select((b) => b.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    async function* rows() {
      for (let i = 0; i < 20; i++)
        yield { line: i + 1, fields: { username: unique('imp'), email: `${unique('imp')}@example.com` } };
    }
    const result = await api.app.core.users.importUsers(systemPrincipal(), rows(), {
      upsert: false,
      skipInvalid: false,
    });
    assert.equal(result.created, 20);
    assert.equal(await count(), before);
    const audit = await api.request('GET', '/api/v1/audit-events?type=users.imported', { token: admin });
    assert.equal(audit.body.data[0].details.created, 20);
  });

  test('event types filter, disabled endpoints get nothing, deleted ones are gone', async () => {
    const only = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: hook.url, event_types: ['user.deleted'] },
    });
    assert.equal(only.status, 201);
    const u = await api.register();
    await api.request('DELETE', `/api/v1/users/${u.id}`, { token: admin });
    const off = await api.request('PATCH', `/api/v1/webhooks/${only.body.data.id}`, {
      token: admin,
      body: { enabled: false },
    });
    assert.equal(off.body.data.enabled, false);
    await api.register();
    await pump();
    const got = (await deliveries(only.body.data.id)).data;
    assert.deepEqual(
      got.map((d: { event_type: string }) => d.event_type),
      ['user.deleted'],
    );
    const del = await api.request('DELETE', `/api/v1/webhooks/${only.body.data.id}`, { token: admin });
    assert.equal(del.status, 204);
    assert.equal((await api.request('GET', `/api/v1/webhooks/${only.body.data.id}`, { token: admin })).status, 404);
  });

  test('a day of failures fails the delivery (kept, resendable); three days disable the endpoint, audited', async () => {
    const dead = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: 'http://127.0.0.1:1/gone', event_types: ['user.created'] },
    });
    assert.equal(dead.status, 201);
    const id = dead.body.data.id;
    await api.register();
    await pump();
    assert.ok((await deliveries(id)).data[0].last_error);
    api.clock.advance(25 * 3600_000);
    admin = (await api.login('root_admin')).access_token;
    await pump();
    const [given] = (await deliveries(id)).data;
    assert.equal(given.status, 'failed');
    assert.equal(given.attempts, 2);
    assert.equal(given.next_attempt_at, null);
    api.clock.advance(2 * 24 * 3600_000);
    await api.register();
    await pump();
    admin = (await api.login('root_admin')).access_token;
    const after = await api.request('GET', `/api/v1/webhooks/${id}`, { token: admin });
    assert.equal(after.body.data.enabled, false);
    const audit = await api.request('GET', '/api/v1/audit-events?type=webhook.disabled', { token: admin });
    assert.equal(audit.body.data[0].details.webhook_id, id);
    const resent = await api.request('POST', `/api/v1/webhooks/${id}/deliveries/${given.id}/resend`, { token: admin });
    assert.equal(resent.status, 202);
    await api.request('DELETE', `/api/v1/webhooks/${id}`, { token: admin });
    // Finished deliveries are kept 30 days, then swept.
    assert.ok((await deliveries(endpoint.id, '?status=succeeded')).data.length > 0);
    api.clock.advance(31 * 24 * 3600_000);
    await api.app.core.sweep();
    admin = (await api.login('root_admin')).access_token;
    assert.equal((await deliveries(endpoint.id, '?status=succeeded')).data.length, 0);
  });
});

describe('webhooks without USHER_WEBHOOK_ALLOW_PRIVATE', () => {
  test('private targets are refused: a literal address when added, a name when sending; secrets sealed', async (t) => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const api = await build(t, { USHER_SECRETS_KEY: key }, { webhookPollMs: 3_600_000 });
    const admin = (await api.admin()).token;
    const hook = await receiver();
    t.after(() => hook.down());
    for (const url of [hook.url, 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://10.0.0.1/x']) {
      const res = await api.request('POST', '/api/v1/webhooks', { token: admin, body: { url } });
      assert.equal(res.status, 400, `${url}: ${res.raw}`);
    }
    // A URL is stored as parsed: no control character reaches a terminal (usher webhook list) or a log.
    const odd = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: 'https://Hooks.EXAMPLE.com/in\u001b[2Jbox?x=1 2' },
    });
    assert.equal(odd.status, 201, odd.raw);
    assert.equal(odd.body.data.url, 'https://hooks.example.com/in%1B[2Jbox?x=1%202');
    const oddPatch = await api.request('PATCH', `/api/v1/webhooks/${odd.body.data.id}`, {
      token: admin,
      body: { url: 'https://hooks.example.com/\u0007bell' },
    });
    assert.equal(oddPatch.body.data.url, 'https://hooks.example.com/%07bell');
    const listed = await api.request('GET', '/api/v1/webhooks', { token: admin });
    assert.ok(!listed.raw.includes('\\u001b') && !listed.raw.includes('\\u0007'), 'no control character listed');
    await api.request('DELETE', `/api/v1/webhooks/${odd.body.data.id}`, { token: admin });
    const named = await api.request('POST', '/api/v1/webhooks', {
      token: admin,
      body: { url: `https://localhost:${hook.port}/hook` },
    });
    assert.equal(named.status, 201, named.raw);
    // At rest the signing secret is sealed by USHER_SECRETS_KEY (the worker opens it to sign).
    const row = await api.database.db.selectFrom('webhook_endpoints').select('secret').executeTakeFirstOrThrow();
    assert.match(row.secret, /^sb1:/);
    assert.ok(!row.secret.includes(named.body.data.secret.slice(6)));
    await api.request('POST', `/api/v1/webhooks/${named.body.data.id}/test`, { token: admin });
    await api.app.webhookWorker.tick();
    await api.app.webhookWorker.idle();
    const [d] = (await api.request('GET', `/api/v1/webhooks/${named.body.data.id}/deliveries`, { token: admin })).body
      .data;
    assert.equal(d.status, 'pending');
    assert.match(d.last_error, /USHER_WEBHOOK_ALLOW_PRIVATE/);
    assert.equal(hook.accepted.length + hook.refused.length, 0);
  });
});
