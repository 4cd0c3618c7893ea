import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { OutboundError, addressKind, createOutbound } from '../../src/core/security/outbound.js';

/** The outgoing-request guard: what it refuses, what the settings allow, its size limit. */

test('addresses: private, loopback, link-local and metadata are told apart', () => {
  assert.equal(addressKind('8.8.8.8'), 'public');
  assert.equal(addressKind('10.1.2.3'), 'private');
  assert.equal(addressKind('192.168.0.1'), 'private');
  assert.equal(addressKind('fd12::1'), 'private');
  assert.equal(addressKind('127.0.0.1'), 'loopback');
  assert.equal(addressKind('::ffff:127.0.0.1'), 'loopback');
  assert.equal(addressKind('::1'), 'loopback');
  assert.equal(addressKind('169.254.169.254'), 'never');
  assert.equal(addressKind('::ffff:169.254.169.254'), 'never');
  assert.equal(addressKind('fe80::1'), 'never');
  assert.equal(addressKind('0.0.0.0'), 'never');
});

test('IPv6 forms carrying a private, loopback or metadata IPv4 address are never reached, whatever the setting', async () => {
  // IPv4-compatible (deprecated, routed to IPv4 by some hosts), 6to4 and Teredo (client address inverted).
  for (const address of ['::127.0.0.1', '::7f00:1', '::a9fe:a9fe', '::10.0.0.1', '2002:7f00:1::', '2002:a9fe:a9fe::1'])
    assert.equal(addressKind(address), 'never', address);
  assert.equal(addressKind('2001:0:4136:e378:8000:63bf:80ff:fffe'), 'never'); // Teredo for 127.0.0.1
  assert.equal(addressKind('2002:808:808::1'), 'public'); // 6to4 for 8.8.8.8
  assert.equal(addressKind('2001:db8::1'), 'public');
  assert.equal(addressKind('::'), 'never');
  assert.equal(addressKind('::1'), 'loopback');
  for (const allowPrivate of [false, true]) {
    const guard = createOutbound({ allowPrivate, allowedHosts: [], timeoutSeconds: 2 });
    for (const url of ['https://[::127.0.0.1]/x', 'https://[::169.254.169.254]/x', 'https://[2002:a9fe:a9fe::]/x'])
      assert.throws(() => guard.check(url), /an address Usher does not reach/, url);
  }
});

test('refused without the setting: private, loopback and metadata addresses, names resolving to them, and http', async () => {
  const guard = createOutbound({ allowPrivate: false, allowedHosts: [], timeoutSeconds: 2 });
  const reach = /an address Usher does not reach/;
  for (const [url, why] of [
    ['https://10.0.0.1/.well-known/openid-configuration', reach],
    ['https://127.0.0.1:1/x', reach],
    ['https://[::1]/x', reach],
    ['https://169.254.169.254/latest/meta-data/', reach],
    ['https://localhost/x', reach],
    ['http://example.com/x', /only https/],
    ['ftp://example.com/x', /only https/],
    ['https://user:pw@example.com/x', /credentials/],
  ] as const)
    await assert.rejects(guard.fetch(url), (e: Error) => e instanceof OutboundError && why.test(e.message), url);
  assert.equal(guard.insecureLoopback, false);
});

test('allowed by setting: loopback over http; metadata never; answers over 1 MiB are cut', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/big') return res.end(Buffer.alloc(1024 * 1024 + 10));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, method: req.method }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  for (const settings of [
    { allowPrivate: true, allowedHosts: [] },
    { allowPrivate: false, allowedHosts: ['127.0.0.1'] },
  ]) {
    const guard = createOutbound({ ...settings, timeoutSeconds: 2 });
    const res = await guard.fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: 'a=1' });
    assert.deepEqual(await res.json(), { ok: true, method: 'POST' });
    await assert.rejects(guard.fetch(`http://127.0.0.1:${port}/big`), /more than 1 MiB/);
    await assert.rejects(guard.fetch('https://169.254.169.254/'), /does not reach/);
  }
  // An allowed host allows that host only.
  const narrow = createOutbound({ allowPrivate: false, allowedHosts: ['127.0.0.1'], timeoutSeconds: 2 });
  await assert.rejects(narrow.fetch(`http://localhost:${port}/x`), /only https|does not reach/);
});

test('settings: bad values name the variable', () => {
  const base = { DATABASE_URL: 'sqlite::memory:' };
  assert.throws(() => loadConfig({ ...base, USHER_OUTBOUND_ALLOW_PRIVATE: 'yes' }), /USHER_OUTBOUND_ALLOW_PRIVATE/);
  assert.throws(() => loadConfig({ ...base, USHER_OUTBOUND_TIMEOUT: '0' }), /USHER_OUTBOUND_TIMEOUT/);
  assert.throws(() => loadConfig({ ...base, USHER_OUTBOUND_ALLOWED_HOSTS: 'a b' }), /USHER_OUTBOUND_ALLOWED_HOSTS/);
  const config = loadConfig({ ...base, USHER_OUTBOUND_ALLOWED_HOSTS: 'Keycloak.internal, 10.0.0.5' });
  assert.deepEqual(config.outbound.allowedHosts, ['keycloak.internal', '10.0.0.5']);
  assert.equal(config.outbound.allowPrivate, false);
});

test('a redirect is answered, not followed; a body that trickles is cut at the timeout; a streamed one at the size', async (t) => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/moved') return res.writeHead(302, { location: '/target' }).end();
    if (req.url === '/slow') {
      res.writeHead(200);
      const drip = setInterval(() => res.write('x'), 100);
      return res.on('close', () => clearInterval(drip));
    }
    if (req.url === '/endless') {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 120);
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      return pump();
    }
    res.end('target');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const guard = createOutbound({ allowPrivate: true, allowedHosts: [], timeoutSeconds: 1 });
  const moved = await guard.fetch(`${base}/moved`, { method: 'POST', body: '{}' });
  assert.equal(moved.status, 302);
  assert.deepEqual(hits, ['/moved'], 'the redirect target was never requested');
  // Headers at once, then a byte every 100 ms: the timeout covers the whole answer, not only its first byte.
  await assert.rejects(guard.fetch(`${base}/slow`), /did not answer within 1 s/);
  // An answer without end: read up to the limit, then the connection is dropped (truncate), or refused.
  const cut = await guard.fetch(`${base}/endless`, { maxBytes: 64 * 1024, truncate: true });
  assert.equal((await cut.arrayBuffer()).byteLength, 64 * 1024);
  await assert.rejects(guard.fetch(`${base}/endless`, { maxBytes: 64 * 1024 }), /more than 65536 bytes/);
});
