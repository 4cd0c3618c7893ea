import { pino } from 'pino';
import { loadConfig } from '../config.js';
import type { Core } from '../core/core.js';
import { AppError } from '../core/errors.js';
import { type ClientInfo, type Principal, type User, systemPrincipal } from '../core/types.js';
import { createDatabase } from '../db/database.js';
import { type OpenedCore, openCore } from '../open-core.js';
import { UsageError } from './command.js';

/**
 * What the `usher` command works through: the core over the run's database,
 * and who it acts as. Commands act as an admin (the audit trail names them);
 * the command's own lookups, and the first admin when there is none yet, act
 * as the system from the `cli` client.
 */

export const CLI_CLIENT: ClientInfo = { ip: 'cli', userAgent: 'usher-cli' };
export const CLI_SYSTEM: Principal = systemPrincipal(CLI_CLIENT);

/** The run's database: the core opened at the first `open()` (once), closed by `close` if it was. */
export function connection(databaseUrl: string | undefined): { open(): Promise<OpenedCore>; close(): Promise<void> } {
  let opening: Promise<OpenedCore> | undefined;
  return {
    open: () => {
      opening ??= openCoreFor(databaseUrl);
      return opening;
    },
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}

/** The core over the configured database (--database-url first); logs go to stderr so stdout stays data. */
async function openCoreFor(databaseUrl: string | undefined): Promise<OpenedCore> {
  const config = loadConfig({ ...process.env, ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  // A large page cache: an import of a million users into SQLite runs three times faster with it.
  const database = createDatabase(config.databaseUrl, {
    poolSize: 2,
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteCacheMb: 128,
  });
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const opened = await openCore(config, { database, log }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  return { ...opened, close: async () => (await opened.close(), await database.close()) };
}

/** The admin the command acts as (--as, else the oldest active admin): the audit trail names them. */
export async function operator(core: Core, as: string | undefined): Promise<Principal> {
  const admin = as
    ? await findUser(core, as)
    : (
        await core.users.list(CLI_SYSTEM, {
          role: 'admin',
          status: 'active',
          sort: 'created_at',
          order: 'asc',
          limit: 1,
        })
      ).users[0];
  if (!admin)
    throw new UsageError(
      as
        ? `no user ${as}`
        : 'there is no active admin to act as: create one first (usher user create --role admin ...)',
    );
  if (admin.role !== 'admin' || admin.status !== 'active')
    throw new UsageError(`${admin.username} is not an active admin`);
  return { ...CLI_SYSTEM, userId: admin.id, authAt: Date.now() };
}

/**
 * The admin to act as, or the system when --as is not given and there is no active admin: an import or an export
 * may be a database's first act (the audit trail then names no actor).
 */
export async function operatorOrSystem(core: Core, as: string | undefined): Promise<Principal> {
  if (as) return operator(core, as);
  return operator(core, undefined).catch((error: unknown) => {
    if (error instanceof UsageError) return CLI_SYSTEM;
    throw error;
  });
}

/** A user by id, username or email. */
export async function findUser(core: Core, ref: string): Promise<User | undefined> {
  const byName = await core.users.lookup(ref.includes('@') ? { email: ref } : { username: ref });
  if (byName) return byName;
  if (/^[0-9a-f-]{36}$/i.test(ref)) return core.users.get(CLI_SYSTEM, ref).catch(() => undefined);
  return undefined;
}

/** The user a command names (a misuse when none is named, before the database is opened). */
export async function requireUser(open: () => Promise<OpenedCore>, ref: string | undefined): Promise<User> {
  if (!ref) throw new UsageError('name the user (id, username or email)');
  const user = await findUser((await open()).core, ref);
  if (!user) throw new AppError('RESOURCE_NOT_FOUND', `No user ${ref}`);
  return user;
}
