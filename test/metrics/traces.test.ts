import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { freePort, tempDir } from '../../scripts/fixtures.js';
import { test } from 'node:test';
import { PASSWORD, build } from '../support/helper.js';

/** OTLP/HTTP traces, received by a real local receiver (JSON, as the exporter sends by default). */

interface Span {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

/** A receiver of POST /v1/traces: the spans it was sent, flattened, their attributes as plain values. */
function receiver() {
  const spans: Span[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({
                ...span,
                attributes: Object.fromEntries(
                  (span.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                    a.key,
                    Object.values(a.value)[0],
                  ]),
                ),
              });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

test('a span per request (route template, status, request id) with child spans for queries, hashing and mail', async (t) => {
  const { server, spans } = receiver();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const api = await build(t, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, { mailPollMs: 25 });
  // Registration queues a verification mail, which the worker sends (into the log).
  const bob = await api.register();
  const login = await api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json', 'x-request-id': 'trace-login-1' },
    payload: JSON.stringify({ username: bob.username, password: PASSWORD }),
  });
  assert.equal(login.statusCode, 200);
  const token = JSON.parse(login.body).access_token;
  const read = await api.app.inject({
    method: 'GET',
    url: `/api/v1/users/${bob.id}`,
    headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-read-1' },
  });
  assert.equal(read.statusCode, 200);
  // Wait (bounded) until the worker's send is exported, then close the app, which sends what is left.
  for (let i = 0; i < 100 && !spans.some((s) => s.name === 'mail.send'); i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await api.app.close();

  const requestOf = (id: string) => spans.find((s) => s.name === 'request' && s.attributes['usher.request_id'] === id);
  const loginSpan = requestOf('trace-login-1');
  assert.ok(loginSpan, `a request span for the login among ${spans.map((s) => s.name).join(', ')}`);
  assert.equal(loginSpan.attributes['http.route'], '/api/v1/auth/login');
  assert.equal(loginSpan.attributes['http.response.status_code'], 200);
  // Spans under a request's (directly, or under its handler's span).
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const under = (span: Span, ancestor: Span): boolean => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    return parent !== undefined && (parent === ancestor || under(parent, ancestor));
  };
  const childrenOf = (parent: Span, name: string) => spans.filter((s) => s.name === name && under(s, parent));
  assert.equal(childrenOf(loginSpan, 'password.verify').length, 1);
  const queries = childrenOf(loginSpan, 'db.query');
  assert.ok(queries.length > 0, 'the login transaction’s statements are children of its request span');
  assert.ok(queries.every((q) => typeof q.attributes['db.query.text'] === 'string'));
  // No value of the statements is in a span: only placeholders.
  assert.ok(!JSON.stringify(queries).includes(bob.username));

  const readSpan = requestOf('trace-read-1');
  assert.ok(readSpan);
  assert.equal(readSpan.attributes['http.route'], '/api/v1/users/:id');
  // The path as sent (with its id) is not recorded: the template is.
  assert.equal(readSpan.attributes['url.path'], '/api/v1/users/:id');
  assert.ok(
    spans.some((s) => s.name === 'mail.send'),
    'the verification mail’s send',
  );
});

test('the built server (dist/, as npm start runs it) loads tracing and sends its spans', async (t) => {
  const { server, spans } = receiver();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(tempDir(), 'usher.db')}`,
      LOG_LEVEL: 'error',
      PORT: String(port),
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  t.after(() => void (child.exitCode === null && child.kill('SIGKILL')));
  let answered = false;
  for (let i = 0; i < 200 && !answered && child.exitCode === null; i++) {
    answered = await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'x-request-id': 'dist-health-1' } }).then(
      (r) => r.ok,
      () => false,
    );
    if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(answered, `the server answered /health (${errors})`);
  // SIGTERM closes the app, which sends the spans still buffered.
  child.kill('SIGTERM');
  await once(child, 'exit');
  const health = spans.find((s) => s.name === 'request' && s.attributes['usher.request_id'] === 'dist-health-1');
  assert.ok(health, `a span for /health among ${spans.map((s) => s.name).join(', ')}`);
  assert.equal(health.attributes['http.route'], '/health');
});

test('no password, token or code reaches a span: not from a malformed body, a query string or an unmatched path', async (t) => {
  const { server, spans } = receiver();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const api = await build(t, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  const bob = await api.user();
  const secrets = ['hunter2LeakedPw', 'qsAccessTokenLeak', 'unmatchedPathLeak', 'unmatchedQueryLeak', 'mailCodeLeak'];
  // A body that is not JSON: the parser's message quotes the text around the error (the password, unquoted).
  const malformed = await api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json', 'x-request-id': 'trace-malformed-1' },
    payload: `{"username":"${bob.username}","password":hunter2LeakedPw}`,
  });
  assert.equal(malformed.statusCode, 400);
  assert.ok(!malformed.body.includes('hunter2LeakedPw'));
  const read = await api.app.inject({
    method: 'GET',
    url: `/api/v1/users/${bob.id}?access_token=qsAccessTokenLeak`,
    headers: { authorization: `Bearer ${bob.token}` },
  });
  assert.ok(read.statusCode < 500);
  const lost = await api.app.inject({ method: 'GET', url: '/api/v1/unmatchedPathLeak?token=unmatchedQueryLeak' });
  assert.equal(lost.statusCode, 404);
  await api.app.inject({ method: 'GET', url: '/auth/mail?code=mailCodeLeak' });
  await api.app.close();
  const login = spans.find((s) => s.name === 'request' && s.attributes['usher.request_id'] === 'trace-malformed-1');
  assert.ok(login, `a span for the malformed login among ${spans.map((s) => s.name).join(', ')}`);
  assert.equal(login.attributes['http.response.status_code'], 400);
  const exported = JSON.stringify(spans);
  for (const secret of secrets) assert.ok(!exported.includes(secret), `${secret} is in a span`);
  assert.ok(!exported.includes(bob.username), 'the username typed is in a span');
});
