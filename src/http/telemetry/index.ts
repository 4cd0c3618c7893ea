import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { metricsServed } from '../../config.telemetry.js';
import type { Metrics } from '../../core/metrics/metrics.js';
import type { Database } from '../../db/database.js';
import { recordRequests } from './requests.js';
import { serveMetrics } from './serve.js';

/** Statement text in a span is cut here (it carries placeholders, never values). */
const SQL_IN_SPAN = 2000;

/**
 * Metrics and traces for the app: request durations, the database's query time and pool use, `GET /metrics` as
 * configured, and OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (src/infra/tracing.ts, imported only then).
 * Call before any route is declared; `routes()` declares `GET /metrics` (after the error handler is set).
 */
export async function telemetry(app: FastifyInstance, config: Config, database: Database, metrics: Metrics) {
  const settings = config.telemetry;
  const tracing = settings.otlpEndpoint
    ? await (await import('../../infra/tracing.js')).startTracing(app, settings.otlpEndpoint)
    : undefined;
  metrics.tracer = tracing?.tracer;
  // Request durations are recorded only when someone can read them (the one per-request cost of the metrics).
  if (metricsServed(settings)) recordRequests(app, metrics.requests);
  const unobserve = database.observe((sql, ms, failed) => {
    metrics.query(ms / 1000, failed);
    const tracer = metrics.tracer;
    if (!tracer) return;
    // Told once the statement is done: the span is dated back to its start, under the request's span.
    const span = tracer.startSpan('db.query', {
      startTime: Date.now() - ms,
      attributes: { 'db.system.name': database.dialect, 'db.query.text': sql.slice(0, SQL_IN_SPAN) },
    });
    if (failed) span.setStatus({ code: 2 });
    span.end();
  });
  const pool = database.pool?.bind(database);
  if (pool) {
    metrics.gauge('usher_db_pool_connections', 'Database connections open', () => pool().total);
    metrics.gauge('usher_db_pool_idle', 'Database connections open and idle', () => pool().idle);
    metrics.gauge('usher_db_pool_waiting', 'Queries waiting for a database connection', () => pool().waiting);
  }
  app.addHook('onClose', async () => {
    unobserve();
    metrics.close();
    metrics.tracer = undefined;
    await tracing?.close();
  });
  return { routes: () => serveMetrics(app, metrics.registry, settings, config.host) };
}
