import type { Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

export interface Tracing {
  tracer: Tracer;
  /** Sends what is buffered and stops. */
  close(): Promise<void>;
}

/**
 * OpenTelemetry traces over OTLP/HTTP (JSON) to `endpoint`, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
 * imports are dynamic, so without it nothing of OpenTelemetry is read). `@fastify/otel` makes a span per request (its
 * route template, method and status; the path it records is replaced by the template, so no token in a URL reaches a
 * trace) with the request id as `usher.request_id`; the core adds child spans (core/metrics/metrics.ts `withSpan`).
 * Must run before any route is declared.
 */
export async function startTracing(app: FastifyInstance, endpoint: string): Promise<Tracing> {
  // CommonJS packages: in the bundle (dist/) their exports come under `default`, under tsx as named exports.
  const [trace, otlp, resources, otel] = (
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@fastify/otel'),
    ])
  ).map((m) => ('default' in m && m.default ? { ...m.default, ...m } : m)) as unknown as [
    typeof import('@opentelemetry/sdk-trace-node'),
    typeof import('@opentelemetry/exporter-trace-otlp-http'),
    typeof import('@opentelemetry/resources'),
    typeof import('@fastify/otel'),
  ];
  const { NodeTracerProvider, BatchSpanProcessor } = trace;
  const { OTLPTraceExporter } = otlp;
  const { resourceFromAttributes } = resources;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'usher' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  // The context manager (AsyncLocalStorage), so a span started anywhere in a request is a child of its span. A
  // second app in one process (tests) finds one already set, which serves it as well.
  provider.register();
  const instrumentation = new otel.FastifyOtelInstrumentation({
    instrumentHooks: false,
    requestHook: (span, request) => {
      span.setAttribute('url.path', request.routeOptions.url ?? 'unmatched');
      span.setAttribute('usher.request_id', request.id);
    },
  });
  instrumentation.setTracerProvider(provider);
  await app.register(instrumentation.plugin());
  return {
    tracer: provider.getTracer('usher'),
    close: async () => {
      instrumentation.disable();
      await provider.shutdown();
    },
  };
}
