import { createHash, timingSafeEqual } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { TelemetrySettings } from '../../config.telemetry.js';
import { unauthenticated } from '../../core/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The port `GET /metrics` listens on when USHER_METRICS_PORT is set, once the app is ready. */
    metricsPort: number | undefined;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries the token (compared in constant time). */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

/**
 * `GET /metrics` in Prometheus' text format. With USHER_METRICS_PORT, only on that port (a listener of its own, on
 * HOST, that answers nothing else), the token required there too when set; else on the public port only with
 * USHER_METRICS_TOKEN; with neither, not served (404). Not in the OpenAPI document: it exists only as configured, and
 * is for Prometheus, not API clients (docs/decisions.md).
 */
export function serveMetrics(app: FastifyInstance, registry: Registry, settings: TelemetrySettings, host: string) {
  const expected = settings.metricsToken === undefined ? undefined : digest(settings.metricsToken);
  const allowed = (header: string | undefined) => expected === undefined || tokenMatches(header, expected);
  app.decorate('metricsPort', undefined);
  if (settings.metricsPort !== undefined) {
    const server = metricsServer(registry, allowed);
    app.addHook('onReady', async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.metricsPort, host, () => resolve());
      });
      app.metricsPort = (server.address() as { port: number }).port;
    });
    app.addHook('onClose', async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return;
  }
  if (expected === undefined) return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request.headers.authorization)) throw unauthenticated('A valid metrics token is required');
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

/** The metrics port's listener: `GET /metrics` and nothing else. */
function metricsServer(registry: Registry, allowed: (header: string | undefined) => boolean): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (!allowed(request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('Unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected\n'),
    );
  });
}
