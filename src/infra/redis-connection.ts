import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** Where Redis trouble is reported: pino's logger fits, and tests pass a recorder. */
export interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** A Redis outage is logged once per connection per interval, not once per request. */
export const WARN_INTERVAL_MS = 30_000;
/** The longest a request waits on Redis before going on without it. */
export const COMMAND_TIMEOUT_MS = 1000;

export interface RedisConnection {
  readonly client: Redis;
  /** Resolves once the connection is ready or has first failed, so start-up never waits on a dead Redis. */
  readonly settled: Promise<void>;
  /** Resolves at the connection's first failure. */
  readonly failure: Promise<void>;
  /** Reports a failed command; shares the once-per-interval warning with connection errors. */
  failed(error: unknown): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Names the connection in logs and in Redis's CLIENT LIST. */
  name: string;
  /** What an outage means for the service, said in the warning. */
  consequence: string;
  log: Log;
  /** A subscriber queues its SUBSCRIBE until Redis answers; a command connection never queues. */
  subscriber?: boolean;
}

/**
 * One ioredis connection set up so a dead or hung Redis never stalls a
 * request: commands fail at once while disconnected (no offline queue, no
 * retries) and after COMMAND_TIMEOUT_MS when Redis does not answer; callers
 * then fall back. ioredis keeps reconnecting in the background.
 */
export function connectRedis(url: string, options: ConnectOptions): RedisConnection {
  const subscriber = options.subscriber ?? false;
  // Loaded only when REDIS_URL is set: a single instance starts without it.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Redis(url, {
    connectionName: `usher-${options.name}`,
    connectTimeout: COMMAND_TIMEOUT_MS,
    enableOfflineQueue: subscriber,
    ...(subscriber ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS }),
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });

  let lastWarning = -Infinity;
  let down = false;
  const failed = (error: unknown) => {
    down = true;
    const now = Date.now();
    if (now - lastWarning < WARN_INTERVAL_MS) return;
    lastWarning = now;
    const err = error instanceof Error ? error.message : String(error);
    options.log.warn({ err, redis: options.name }, `redis unavailable: ${options.consequence}`);
  };
  // Without an 'error' listener ioredis prints every failed reconnect to stderr.
  client.on('error', failed);
  client.on('ready', () => {
    if (!down) return;
    down = false;
    lastWarning = -Infinity;
    options.log.info({ redis: options.name }, 'redis connection restored');
  });

  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  const failure = new Promise<void>((resolve) => {
    client.once('error', () => resolve());
    client.once('end', () => resolve());
  });

  return {
    client,
    settled: Promise.race([ready, failure]),
    failure,
    failed,
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
