import { loadConfigOrExit } from '../config.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * `npm run migrate`: brings DATABASE_URL's schema up to date and exits, 0 on
 * success and 1 with the reason otherwise. Servers migrate on start as well;
 * running this first (for example as a deploy step) means no instance starts
 * on an old schema. Concurrent runs are safe: the migrator takes a lock.
 */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const target = describe(config.databaseUrl);
  const database = createDatabase(config.databaseUrl, { poolSize: 1 });
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length === 0 ? `${target}: already up to date` : `${target}: applied ${applied.join(', ')}`);
    return 0;
  } catch (error) {
    console.error(`Migration of ${target} failed: ${reason(error)}`);
    return 1;
  } finally {
    await database.close().catch(() => {});
  }
}

/** The database named without its password, for messages. */
function describe(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

/**
 * A readable cause; a refused connection to every address of a host is an AggregateError with no message of its own.
 */
function reason(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(reason).join('; ');
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Migration failed: ${reason(error)}`);
    process.exit(1);
  },
);
