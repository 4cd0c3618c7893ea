import { pino } from 'pino';
import { type OpenedCore, openCore } from '../open-core.js';
import { loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { createDatabase } from '../db/database.js';
import type { Principal, User } from '../core/types.js';
import type { Output } from './output.js';
import { userRecord } from './transfer.js';

/** What every command of `usher` shares: its shape, the core opened once, the admin it acts as. */

export type Options = Record<string, { type: 'string' | 'boolean'; short?: string; description: string }>;

export interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(args: {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
    out: Output;
  }): Promise<number>;
}

export class UsageError extends Error {}

export const COMMON: Options = {
  'database-url': {
    type: 'string',
    description: 'Database to use (default: DATABASE_URL, else sqlite:./data/usher.db)',
  },
  json: { type: 'boolean', description: 'Print JSON instead of a table' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};
export const AS: Options = {
  as: { type: 'string', description: 'Act as this admin (username or email; default: the oldest active admin)' },
};

export const USER_COLUMNS = ['id', 'username', 'email', 'role', 'status', 'created_at', 'last_login'];
export const userRow = (u: User) => ({ ...userRecord(u), mfa_enabled: u.mfaEnabled });

let opened: OpenedCore | undefined;
let databaseUrl: string | undefined;

/** --database-url, given before the core is first opened. */
export const useDatabaseUrl = (url: string | undefined) => void (databaseUrl = url);

/** Closes the core if the command opened it. */
export const closeCore = async (): Promise<void> => opened?.close();

/** The core over the configured database, opened once per run; logs go to stderr so stdout stays data. */
export async function core(): Promise<OpenedCore> {
  if (!opened) {
    const env = { ...process.env, ...(databaseUrl && { DATABASE_URL: databaseUrl }) };
    const config = loadConfig(env);
    // A large page cache: an import of a million users into SQLite runs three times faster with it.
    const database = createDatabase(config.databaseUrl, {
      poolSize: 2,
      sqliteSynchronous: config.sqliteSynchronous,
      sqliteCacheMb: 128,
    });
    const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
    const core = await openCore(config, { database, log }).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
    opened = { ...core, close: async () => (await core.close(), await database.close()) };
  }
  return opened;
}

/** The admin the command acts as: the audit trail names them. */
export async function operator(as: string | undefined): Promise<Principal> {
  const { core: c } = await core();
  const system: Principal = {
    userId: null,
    role: 'admin',
    sessionId: null,
    apiKeyId: null,
    authAt: null,
    client: { ip: 'cli', userAgent: 'usher-cli' },
  };
  const admin = as
    ? await findUser(as)
    : (await c.users.list(system, { role: 'admin', status: 'active', sort: 'created_at', order: 'asc', limit: 1 }))
        .users[0];
  if (!admin)
    throw new UsageError(
      as
        ? `no user ${as}`
        : 'there is no active admin to act as: create one first (usher user create --role admin ...)',
    );
  if (admin.role !== 'admin' || admin.status !== 'active')
    throw new UsageError(`${admin.username} is not an active admin`);
  return { ...system, userId: admin.id, authAt: Date.now() };
}

/** A user by id, username or email. */
async function findUser(ref: string): Promise<User | undefined> {
  const { core: c } = await core();
  const byName = await c.users.lookup(ref.includes('@') ? { email: ref } : { username: ref });
  if (byName) return byName;
  if (/^[0-9a-f-]{36}$/i.test(ref)) {
    const system: Principal = { userId: null, role: 'admin', sessionId: null, apiKeyId: null, authAt: null };
    return c.users.get(system, ref).catch(() => undefined);
  }
  return undefined;
}

export async function requireUser(ref: string | undefined): Promise<User> {
  if (!ref) throw new UsageError('name the user (id, username or email)');
  const user = await findUser(ref);
  if (!user) throw new AppError('RESOURCE_NOT_FOUND', `No user ${ref}`);
  return user;
}

export const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A password from --password, or the first line of stdin (so it stays out of shell history and `ps`). */
export async function passwordFrom(values: Record<string, string | boolean | undefined>): Promise<string> {
  const given = str(values.password);
  if (given !== undefined) return given;
  if (values['password-stdin']) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  throw new UsageError('give --password or --password-stdin');
}

export const PASSWORD: Options = {
  password: { type: 'string', description: 'The password (visible in your shell history; prefer --password-stdin)' },
  'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
};
