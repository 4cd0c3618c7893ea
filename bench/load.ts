import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  errorKinds: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request's body (and may read per-connection state from `context`). */
  setupRequest?: (request: any, context: Record<string, unknown>) => any;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  /** Per-connection state in `context` must last the whole run. */
  stateful?: boolean;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One autocannon run; latency percentiles computed from every response (autocannon reports no p95). */
export async function load(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: o.url,
      connections: o.connections ?? 50,
      duration: o.seconds,
      method: o.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...o.headers },
      body: o.body,
      // autocannon clears a connection's context each time it wraps around its
      // request list; for `stateful` runs (the refresh scenario's token chains)
      // the list is longer than any connection gets through in a run.
      requests:
        o.setupRequest || o.onResponse
          ? Array(o.stateful ? 5000 : 1).fill({
              method: o.method ?? 'GET',
              setupRequest: o.setupRequest,
              onResponse: o.onResponse,
            })
          : undefined,
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const errorKinds = new Map<string, number>();
  instance.on('reqError', (error: Error) => errorKinds.set(error.message, (errorKinds.get(error.message) ?? 0) + 1));
  const result = await done;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    errorKinds: Object.fromEntries(errorKinds),
  };
}
