import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { AppOptions } from './app-options.js';
import type { Config } from './config.js';
import { type Core, createCore } from './core/core.js';
import type { RateLimitStore } from './core/rate-limit/rate-limit.js';
import type { Storage } from './core/storage.js';
import { type Database, createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { sharedState } from './infra/shared-state.js';
import { createStorage } from './storage/storage.js';
import { pictureUrlFor } from './surfaces/shared/links.js';
import { userV1 } from './surfaces/api-v1/presenter.js';

export interface OpenedCore {
  database: Database;
  storage: Storage;
  core: Core;
  store: RateLimitStore;
  log: FastifyBaseLogger;
  /** Closes what was opened here (the bus, the counters, the database unless it was given). */
  close(): Promise<void>;
}

/**
 * The core over a migrated database, with the shared state (Redis when
 * REDIS_URL is set, so every instance and the CLI see one event bus): what
 * the server and the `usher` command both start from.
 */
export async function openCore(
  config: Config,
  options: AppOptions & { log?: FastifyBaseLogger } = {},
): Promise<OpenedCore> {
  const database =
    options.database ??
    createDatabase(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      sqliteSynchronous: config.sqliteSynchronous,
    });
  await migrateToLatest(database.db);
  // Log lines go out in batches (at 8 KB, or every 200 ms), not one write per line: a write per request
  // was a quarter of a read's cost. Pino writes what is left when the process exits (docs/decisions.md).
  const log: FastifyBaseLogger =
    options.log ??
    pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false, minLength: 8192, periodicFlush: 200 }));
  for (const warning of database.warnings) log.warn(warning);
  // Rate-limit counters and the event bus: in Redis when REDIS_URL is set, so every instance shares them.
  const { rateLimitStore: store, bus } = await sharedState(config, log, options);
  const storage = createStorage(database, { now: options.now });
  const pictureUrl = pictureUrlFor(config.publicUrl);
  const presentUser = (u: Parameters<typeof userV1>[0]) => userV1(u, pictureUrl);
  const core = await createCore(config, storage, { presentUser, ...options, bus, counters: store });
  const close = async () => {
    if (!options.hasher) await core.hasher.close();
    await store.close();
    await core.bus.close();
    if (!options.database) await database.close();
  };
  return { database, storage, core, store, log, close };
}
