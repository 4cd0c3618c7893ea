import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { PASSWORD, build } from '../support/helper.js';
import { parsePrometheus } from '../support/prometheus.js';

const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(app: FastifyInstance, token = TOKEN) {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(res.body);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

test('without USHER_METRICS_TOKEN or USHER_METRICS_PORT, /metrics is not served', async (t) => {
  const { app } = await build(t);
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.statusCode, 404);
});

test('/metrics on the public port: the token is required, the text parses, every family is there', async (t) => {
  const { app } = await build(t, { USHER_METRICS_TOKEN: TOKEN });
  for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, TOKEN]) {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    assert.equal(res.statusCode, 401, String(authorization));
    assert.doesNotMatch(res.body, /usher_/);
  }
  await scrape(app);
  const metrics = await scrape(app);
  for (const [name, type] of [
    ['usher_http_request_duration_seconds', 'histogram'],
    ['usher_logins_total', 'counter'],
    ['usher_token_refreshes_total', 'counter'],
    ['usher_password_hash_wait_seconds', 'histogram'],
    ['usher_password_hash_queue_waiting', 'gauge'],
    ['usher_db_query_duration_seconds', 'histogram'],
    ['usher_cache_hits', 'gauge'],
    ['usher_mail_outbox_pending', 'gauge'],
    ['usher_mail_outbox_oldest_pending_seconds', 'gauge'],
    ['usher_webhook_outbox_pending', 'gauge'],
    ['usher_webhook_outbox_oldest_pending_seconds', 'gauge'],
    ['usher_eventloop_lag_seconds', 'gauge'],
    ['usher_process_memory_bytes', 'gauge'],
    ['usher_process_cpu_seconds_total', 'counter'],
  ] as const)
    assert.equal(metrics.types.get(name), type, name);
  // The scrape before this one is in the histogram under its template, and so are the refused ones.
  const scrapes = (status: string) => ({ route: '/metrics', method: 'GET', status });
  assert.ok(metrics.value('usher_http_request_duration_seconds_count', scrapes('2xx')) >= 1);
  assert.equal(metrics.value('usher_http_request_duration_seconds_count', scrapes('4xx')), 4);
  // The admin was created at start, through the query builder.
  assert.ok(metrics.value('usher_db_query_duration_seconds_count', { result: 'ok' }) > 0);
  // PostgreSQL's pool, read at the scrape: at least the connection that ran those statements.
  if (process.env.USHER_TEST_DIALECT === 'postgres') assert.ok(metrics.value('usher_db_pool_connections') >= 1);
  else assert.equal(metrics.find('usher_db_pool_connections').length, 0);
  // The mail outbox: nothing queued in this app.
  assert.equal(metrics.value('usher_mail_outbox_pending'), 0);
  assert.equal(metrics.value('usher_webhook_outbox_pending'), 0);
});

test('hundreds of hostile paths and methods add no series, and no label carries what they sent', async (t) => {
  const { app, user } = await build(t, { USHER_METRICS_TOKEN: TOKEN });
  const alice = await user();
  const headers = { authorization: `Bearer ${alice.token}` };
  const hostile = async (round: number, sent: string[]) => {
    const junk = randomBytes(12).toString('hex');
    sent.push(junk);
    const paths = [
      `/${junk}`,
      `/api/v1/users/${junk}`,
      `/api/v1/${junk}/%22%7D%0A?x=${junk}`,
      `/api/v1/users/${junk}%0Ausher_fake_total%201`,
      `/api/v1/users/${alice.id}?${junk}=1`,
    ];
    const method = (['GET', 'POST', 'DELETE', 'PROPFIND', 'PATCH', 'SEARCH'] as const)[round % 6]!;
    await app.inject({ method: method as 'GET', url: paths[round % 5]!, headers: { ...headers, 'x-user': junk } });
  };
  // A first round reaches every route, method and status class junk can reach (a bounded set)...
  for (let i = 0; i < 60; i++) await hostile(i, []);
  const series = (m: Awaited<ReturnType<typeof scrape>>) =>
    m.samples.filter((s) => s.name.startsWith('usher_http_request_duration_seconds')).length;
  await scrape(app);
  const before = series(await scrape(app));
  // ...and hundreds more, each with paths, queries and headers never seen, add none.
  const sent: string[] = [];
  for (let i = 0; i < 300; i++) await hostile(i, sent);
  const after = await scrape(app);
  assert.equal(series(after), before);
  const text = JSON.stringify(after.samples);
  for (const junk of sent) assert.ok(!text.includes(junk), junk);
  assert.equal(after.find('usher_fake_total').length, 0);
  const routes = new Set(after.find('usher_http_request_duration_seconds_count').map((s) => s.labels.route));
  for (const route of routes) assert.ok(route === 'unmatched' || route?.startsWith('/'), String(route));
  const methods = new Set(after.find('usher_http_request_duration_seconds_count').map((s) => s.labels.method));
  for (const method of methods)
    assert.ok(['GET', 'POST', 'DELETE', 'PATCH', 'other'].includes(method!), String(method));
  assert.ok(
    after.value('usher_http_request_duration_seconds_count', { route: 'unmatched', method: 'other', status: '4xx' }) >=
      50,
  );
});

test('logins and refreshes are counted by method and outcome', async (t) => {
  // The mail worker does not run during the test: the two verification mails stay in the outbox.
  const { app, register, request, clock } = await build(
    t,
    { USHER_METRICS_TOKEN: TOKEN, USHER_LOCKOUT_THRESHOLD: '2', USHER_LOCKOUT_KNOWN_ALLOWANCE: '0' },
    { mailPollMs: 3_600_000 },
  );
  const before = await scrape(app);
  const count = (m: typeof before, outcome: string, method = 'password') =>
    m.value('usher_logins_total', { method, outcome });
  const [bob, carol] = [await register(), await register()];
  const ok = await request('POST', '/api/v1/auth/login', { body: { username: carol.username, password: PASSWORD } });
  assert.equal(ok.status, 200);
  for (let i = 0; i < 2; i++) {
    const wrong = await request('POST', '/api/v1/auth/login', { body: { username: bob.username, password: 'nope' } });
    assert.equal(wrong.status, 401);
  }
  const locked = await request('POST', '/api/v1/auth/login', { body: { username: bob.username, password: 'nope' } });
  assert.equal(locked.status, 429);
  const refreshed = await request('POST', '/api/v1/auth/refresh', { body: { refresh_token: ok.body.refresh_token } });
  assert.equal(refreshed.status, 200);
  const refused = await request('POST', '/api/v1/auth/refresh', { body: { refresh_token: 'not-a-token' } });
  assert.equal(refused.status, 401);
  const after = await scrape(app);
  assert.equal(count(after, 'success') - count(before, 'success'), 1);
  assert.equal(count(after, 'failure') - count(before, 'failure'), 2);
  assert.equal(count(after, 'locked_out') - count(before, 'locked_out'), 1);
  assert.equal(count(after, 'success', 'passkey'), 0);
  assert.equal(after.value('usher_mail_outbox_pending'), before.value('usher_mail_outbox_pending') + 2);
  clock.advance(90_000);
  assert.ok((await scrape(app)).value('usher_mail_outbox_oldest_pending_seconds') >= 90);
  const refreshes = (m: typeof before, outcome: string) => m.value('usher_token_refreshes_total', { outcome });
  assert.equal(refreshes(after, 'success') - refreshes(before, 'success'), 1);
  assert.equal(refreshes(after, 'refused') - refreshes(before, 'refused'), 1);
  // Three password checks waited for a slot (or not at all): each is in the wait histogram.
  assert.ok(
    after.value('usher_password_hash_wait_seconds_count') - before.value('usher_password_hash_wait_seconds_count') >= 3,
  );
  assert.ok(
    after.value('usher_cache_hits', { cache: 'sessions' }) + after.value('usher_cache_misses', { cache: 'sessions' }) >=
      0,
  );
});

test('USHER_METRICS_PORT: served there only, with the token, and nothing else answered there', async (t) => {
  const port = await freePort();
  const { app } = await build(t, { USHER_METRICS_TOKEN: TOKEN, USHER_METRICS_PORT: String(port), HOST: '127.0.0.1' });
  await app.ready();
  assert.equal(app.metricsPort, port);
  const publicPort = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(publicPort.statusCode, 404);
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await fetch(`${base}/metrics`)).status, 401);
  assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  const metrics = parsePrometheus(await res.text());
  assert.equal(metrics.types.get('usher_logins_total'), 'counter');
  for (const path of ['/', '/api/v1/users', '/health', '/metrics/x'])
    assert.equal((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404, path);
});

test('USHER_METRICS_PORT without a token: open on that port, still not on the public one', async (t) => {
  const port = await freePort();
  const { app } = await build(t, { USHER_METRICS_PORT: String(port), HOST: '127.0.0.1' });
  await app.ready();
  assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.ok(parsePrometheus(await res.text()).samples.length > 0);
});

test('the settings are checked at start, naming the variable', () => {
  const base = { DATABASE_URL: 'sqlite::memory:' };
  for (const [env, name] of [
    [{ USHER_METRICS_TOKEN: 'short' }, 'USHER_METRICS_TOKEN'],
    [{ USHER_METRICS_TOKEN: 'has a space in the middle of it' }, 'USHER_METRICS_TOKEN'],
    [{ USHER_METRICS_PORT: '70000' }, 'USHER_METRICS_PORT'],
    [{ USHER_METRICS_PORT: '9464x' }, 'USHER_METRICS_PORT'],
    [{ USHER_METRICS_PORT: '3000' }, 'USHER_METRICS_PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  ] as const)
    assert.throws(
      () => loadConfig({ ...base, ...env }),
      (e: Error) => e.message.includes(name),
      name,
    );
  const ok = loadConfig({ ...base, USHER_METRICS_TOKEN: TOKEN, USHER_METRICS_PORT: '9464' });
  assert.deepEqual(ok.telemetry, { metricsToken: TOKEN, metricsPort: 9464, otlpEndpoint: undefined });
});
