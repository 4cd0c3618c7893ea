import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Span, Tracer } from '@opentelemetry/api';
import { processMetrics } from './process.js';
import { LOGIN_METHODS, LOGIN_OUTCOMES, type LoginMethod, type LoginOutcome } from './labels.js';

/** The seconds buckets of request, query and hash-wait histograms: 1 ms to 10 s. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a cache reports (StateCache's counters, read at each scrape). */
export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
}

/**
 * The service's figures, in one registry per app (tests build several apps in one process): what the core and the
 * HTTP layer record into, and what `GET /metrics` prints. Every label value comes from a fixed set (labels.ts): never a
 * path, a user, or an error's text, so no request can add a series.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Request durations by route template, method and status class (recorded by src/http/metrics/requests.ts). */
  readonly requests: Histogram<'route' | 'method' | 'status'>;
  login(method: LoginMethod, outcome: LoginOutcome): void;
  refresh(outcome: 'success' | 'refused' | 'reused'): void;
  /** Seconds a password hash waited for a slot. */
  hashWait(seconds: number): void;
  /** Seconds a database statement took, and whether it failed. */
  query(seconds: number, failed: boolean): void;
  /** A gauge read at each scrape (`read` may be async): outbox depths, pool use, queue lengths. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void;
  /** A cache whose hit and miss counts are read at each scrape, under a fixed name. */
  cache(name: string, counts: CacheCounts): void;
  /**
   * Runs `work` in a child span of the current one when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT), else just runs
   * it: for database, hashing, mail and webhook sends.
   */
  withSpan<T>(name: string, work: (span?: Span) => Promise<T>): Promise<T>;
  /** Set once tracing has started (src/infra/tracing.ts). */
  tracer: Tracer | undefined;
  /** Stops the event-loop monitor (when the app closes). */
  close(): void;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  // The process's CPU, memory and event-loop lag (process.ts).
  const stop = options.defaults !== false ? processMetrics(registry) : () => {};
  const registers = [registry];
  const requests = new Histogram({
    name: 'usher_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: BUCKETS,
    registers,
  });
  const logins = new Counter({
    name: 'usher_logins_total',
    help: 'Sign-ins by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  // Every combination exists from the start, at 0, so rates are defined before the first sign-in.
  for (const method of LOGIN_METHODS) for (const outcome of LOGIN_OUTCOMES) logins.labels(method, outcome);
  const refreshes = new Counter({
    name: 'usher_token_refreshes_total',
    help: 'Refresh token uses by outcome (reused, also counted as refused: a rotated-out token came back and its session ended)',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of ['success', 'refused', 'reused']) refreshes.labels(outcome);
  const hashWait = new Histogram({
    name: 'usher_password_hash_wait_seconds',
    help: 'Time a password hash waited for a slot in the hashing queue',
    buckets: BUCKETS,
    registers,
  });
  const queries = new Histogram({
    name: 'usher_db_query_duration_seconds',
    help: 'Database statements run through the query builder, by result',
    labelNames: ['result'] as const,
    buckets: BUCKETS,
    registers,
  });
  const caches = new Map<string, CacheCounts>();
  const cacheCount = (kind: 'hits' | 'misses') =>
    new Gauge({
      name: `usher_cache_${kind}`,
      help: `Reads of this instance's state caches that were ${kind === 'hits' ? 'served from' : 'loaded into'} the cache (a count since start; the ratio is hits / (hits + misses))`,
      labelNames: ['cache'] as const,
      registers,
      collect() {
        for (const [name, counts] of caches) this.set({ cache: name }, counts[kind]);
      },
    });
  cacheCount('hits');
  cacheCount('misses');
  const metrics: Metrics = {
    registry,
    requests,
    login: (method, outcome) => logins.inc({ method, outcome }),
    refresh: (outcome) => refreshes.inc({ outcome }),
    hashWait: (seconds) => hashWait.observe(seconds),
    query: (seconds, failed) => queries.observe({ result: failed ? 'error' : 'ok' }, seconds),
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A figure that cannot be read now (the database is away) keeps its last value; the scrape still answers.
          this.set(await Promise.resolve(read()).catch(() => this.get().then((g) => g.values[0]?.value ?? 0)));
        },
      });
    },
    cache: (name, counts) => void caches.set(name, counts),
    tracer: undefined,
    close: stop,
    withSpan(name, work) {
      const tracer = metrics.tracer;
      if (!tracer) return work();
      return tracer.startActiveSpan(name, async (span) => {
        try {
          return await work(span);
        } catch (error) {
          span.setStatus({ code: 2 });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
  return metrics;
}
