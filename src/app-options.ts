import type { CoreOptions } from './core/core.js';
import type { EventBus } from './core/events.js';
import type { RateLimitStore } from './core/rate-limit/rate-limit.js';
import type { Database } from './db/database.js';

/** What a caller of buildApp (a test, the benchmark) or openCore (the CLI) may hand in instead of what the configuration names. */
export interface AppOptions extends CoreOptions {
  /** An open database to use instead of opening DATABASE_URL (tests share one this way). */
  database?: Database;
  rateLimitStore?: RateLimitStore;
  bus?: EventBus;
  /** How often the mail worker looks at the outbox (default 1 s). */
  mailPollMs?: number;
  /** How often the webhook worker looks for due deliveries (default 1 s). */
  webhookPollMs?: number;
}
