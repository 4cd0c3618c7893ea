import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { type OpenedCore, openCore } from '../open-core.js';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { createDatabase } from '../db/database.js';
import { type Principal, ROLES, STATUSES, type User } from '../core/types.js';
import { ImportError, importUsers } from '../core/users/user.import.js';
import { output, type Output, progress } from './output.js';
import { atomicFile, countRows, exportUsers, formatOf, isFile, readRows, userRecord } from './transfer.js';

/**
 * `usher`: the operator's command. It reads the same environment as the
 * server (DATABASE_URL, REDIS_URL, ...; `--database-url` overrides) and
 * works on the database through the core, so every rule, the audit trail and
 * the other instances' caches (over Redis) see its changes as they see a
 * request's. Exit codes: 0 done, 1 refused or failed, 2 misused.
 */

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; description: string }>;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[]; out: Output }): Promise<number>;
}

class UsageError extends Error {}

const COMMON: Options = {
  'database-url': { type: 'string', description: 'Database to use (default: DATABASE_URL, else sqlite:./data/usher.db)' },
  json: { type: 'boolean', description: 'Print JSON instead of a table' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};
const AS: Options = { as: { type: 'string', description: 'Act as this admin (username or email; default: the oldest active admin)' } };

const USER_COLUMNS = ['id', 'username', 'email', 'role', 'status', 'created_at', 'last_login'];
const userRow = (u: User) => ({ ...userRecord(u), mfa_enabled: u.mfaEnabled });

let opened: OpenedCore | undefined;
let databaseUrl: string | undefined;

/** The core over the configured database, opened once per run; logs go to stderr so stdout stays data. */
async function core(): Promise<OpenedCore> {
  if (!opened) {
    const env = { ...process.env, ...(databaseUrl && { DATABASE_URL: databaseUrl }) };
    const config = loadConfig(env);
    // A large page cache: an import of a million users into SQLite runs three times faster with it.
    const database = createDatabase(config.databaseUrl, { poolSize: 2, sqliteSynchronous: config.sqliteSynchronous, sqliteCacheMb: 128 });
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
async function operator(as: string | undefined): Promise<Principal> {
  const { core: c } = await core();
  const system: Principal = { userId: null, role: 'admin', sessionId: null, apiKeyId: null, authAt: null, client: { ip: 'cli', userAgent: 'usher-cli' } };
  const admin = as
    ? await findUser(as)
    : (await c.users.list(system, { role: 'admin', status: 'active', sort: 'created_at', order: 'asc', limit: 1 })).users[0];
  if (!admin) throw new UsageError(as ? `no user ${as}` : 'there is no active admin to act as: create one first (usher user create --role admin ...)');
  if (admin.role !== 'admin' || admin.status !== 'active') throw new UsageError(`${admin.username} is not an active admin`);
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

async function requireUser(ref: string | undefined): Promise<User> {
  if (!ref) throw new UsageError('name the user (id, username or email)');
  const user = await findUser(ref);
  if (!user) throw new AppError('RESOURCE_NOT_FOUND', `No user ${ref}`);
  return user;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A password from --password, or the first line of stdin (so it stays out of shell history and `ps`). */
async function passwordFrom(values: Record<string, string | boolean | undefined>): Promise<string> {
  const given = str(values.password);
  if (given !== undefined) return given;
  if (values['password-stdin']) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  throw new UsageError('give --password or --password-stdin');
}

const PASSWORD: Options = {
  password: { type: 'string', description: 'The password (visible in your shell history; prefer --password-stdin)' },
  'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
};

/** `usher user set-<field> USER VALUE`: one field changed through the core (its rules: the last admin, ...). */
function setField(field: 'role' | 'status', values: readonly string[]): Command {
  return {
    summary: `Change a user's ${field}`,
    usage: `usher user set-${field} USER ${field.toUpperCase()}`,
    options: { ...AS },
    async run({ values: options, positionals, out }) {
      if (!positionals[1]) throw new UsageError(`give the ${field}: ${values.join(', ')}`);
      const user = await requireUser(positionals[0]);
      const { core: c } = await core();
      out.record(userRow(await c.users.update(await operator(str(options.as)), user.id, { [field]: positionals[1] })));
      return 0;
    },
  };
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Start the server in this process (npm start also sets two V8 memory flags)',
    usage: 'usher serve',
    options: {},
    async run() {
      await import('../server.js');
      return -1; // the server keeps the process alive and exits on its own
    },
  },
  migrate: {
    summary: "Bring the database's schema up to date",
    usage: 'usher migrate',
    options: {},
    async run({ out }) {
      await core();
      out.note('the database is up to date');
      return 0;
    },
  },
  'user create': {
    summary: 'Create a user',
    usage: 'usher user create --username NAME --email EMAIL (--password P | --password-stdin) [--role R] [--status S] [--first-name F] [--last-name L]',
    options: {
      username: { type: 'string', description: 'Username (3-50 letters, digits, _ or -)' },
      email: { type: 'string', description: 'Email address' },
      ...PASSWORD,
      role: { type: 'string', description: 'user (default), moderator or admin' },
      status: { type: 'string', description: 'active (default), inactive, suspended or pending' },
      'first-name': { type: 'string', description: 'First name' },
      'last-name': { type: 'string', description: 'Last name' },
      ...AS,
    },
    async run({ values, out }) {
      const username = str(values.username);
      const email = str(values.email);
      if (!username || !email) throw new UsageError('--username and --email are required');
      const password = await passwordFrom(values);
      const { core: c } = await core();
      // The very first admin has nobody to act as: the command itself vouches for it.
      const actor = await operator(str(values.as)).catch(async (error: unknown) => {
        const none = (await c.users.list({ userId: null, role: 'admin', sessionId: null, apiKeyId: null, authAt: null }, { role: 'admin', sort: 'created_at', order: 'asc', limit: 1 })).total === 0;
        if (none && !values.as) return { userId: null, role: 'admin' as const, sessionId: null, apiKeyId: null, authAt: null, client: { ip: 'cli', userAgent: 'usher-cli' } };
        throw error;
      });
      const user = await c.users.create(
        actor,
        {
          username,
          email,
          password,
          ...(str(values.role) && { role: str(values.role) as User['role'] }),
          ...(str(values.status) && { status: str(values.status) as User['status'] }),
          ...(str(values['first-name']) && { firstName: str(values['first-name'])! }),
          ...(str(values['last-name']) && { lastName: str(values['last-name'])! }),
        },
        { client: { ip: 'cli', userAgent: 'usher-cli' } },
      );
      out.record(userRow(user));
      return 0;
    },
  },
  'user list': {
    summary: 'List users (newest first)',
    usage: 'usher user list [--search TEXT] [--status S|deleted] [--role R] [--limit N] [--cursor C]',
    options: {
      search: { type: 'string', description: 'Substring of username, email or names' },
      status: { type: 'string', description: 'active, inactive, suspended, pending, or deleted' },
      role: { type: 'string', description: 'user, moderator or admin' },
      limit: { type: 'string', description: 'Rows (1-100, default 20)' },
      cursor: { type: 'string', description: 'Continue after a previous page (printed at its end)' },
    },
    async run({ values, out }) {
      const limit = Number(str(values.limit) ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be a whole number from 1 to 100');
      const { core: c } = await core();
      const system: Principal = { userId: null, role: 'admin', sessionId: null, apiKeyId: null, authAt: null };
      const page = await c.users.list(system, {
        sort: 'created_at',
        order: 'desc',
        limit,
        ...(str(values.search) && { search: str(values.search) }),
        ...(str(values.status) && { status: str(values.status) as User['status'] }),
        ...(str(values.role) && { role: str(values.role) as User['role'] }),
        ...(str(values.cursor) && { cursor: str(values.cursor) }),
      });
      out.rows(page.users.map(userRow), USER_COLUMNS);
      if (!out.json) out.note(`${page.total} in all${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}`);
      return 0;
    },
  },
  'user get': {
    summary: 'Show one user',
    usage: 'usher user get USER   (id, username or email)',
    options: {},
    async run({ positionals, out }) {
      out.record(userRow(await requireUser(positionals[0])));
      return 0;
    },
  },
  'user set-role': setField('role', ROLES),
  'user set-status': setField('status', STATUSES),
  'user set-password': {
    summary: "Set a user's password (their sessions end)",
    usage: 'usher user set-password USER (--password P | --password-stdin)',
    options: { ...PASSWORD, ...AS },
    async run({ values, positionals, out }) {
      const user = await requireUser(positionals[0]);
      const password = await passwordFrom(values);
      const { core: c } = await core();
      await c.users.update(await operator(str(values.as)), user.id, { password });
      out.note(`password of ${user.username} set`);
      return 0;
    },
  },
  'user delete': {
    summary: 'Delete a user (soft: restore brings them back)',
    usage: 'usher user delete USER',
    options: { ...AS },
    async run({ values, positionals, out }) {
      const user = await requireUser(positionals[0]);
      const { core: c } = await core();
      await c.users.remove(await operator(str(values.as)), user.id);
      out.note(`${user.username} deleted (id ${user.id})`);
      return 0;
    },
  },
  'user restore': {
    summary: 'Bring a deleted user back',
    usage: 'usher user restore ID',
    options: { ...AS },
    async run({ values, positionals, out }) {
      if (!positionals[0]) throw new UsageError('give the id of the deleted user (usher user list --status deleted)');
      const { core: c } = await core();
      out.record(userRow(await c.users.restore(await operator(str(values.as)), positionals[0])));
      return 0;
    },
  },
  'apikey create': {
    summary: 'Create an API key (the secret is shown once)',
    usage: 'usher apikey create --name NAME [--role R] [--expires-at ISO]',
    options: {
      name: { type: 'string', description: 'A name to recognise the key by' },
      role: { type: 'string', description: 'user, moderator or admin (default: admin)' },
      'expires-at': { type: 'string', description: 'ISO 8601 date-time (default: never)' },
      ...AS,
    },
    async run({ values, out }) {
      const name = str(values.name);
      if (!name) throw new UsageError('--name is required');
      const { core: c } = await core();
      const { key, secret } = await c.apiKeys.create(await operator(str(values.as)), {
        name,
        ...(str(values.role) && { role: str(values.role) as User['role'] }),
        ...(str(values['expires-at']) && { expiresAt: str(values['expires-at'])! }),
      });
      out.record({ id: key.id, name: key.name, role: key.role, prefix: key.prefix, expires_at: key.expiresAt, key: secret });
      if (!out.json) out.note('the key is shown only now: store it safely');
      return 0;
    },
  },
  'apikey list': {
    summary: 'List API keys (never their secrets)',
    usage: 'usher apikey list',
    options: { ...AS },
    async run({ values, out }) {
      const { core: c } = await core();
      const keys = await c.apiKeys.list(await operator(str(values.as)));
      out.rows(
        keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, role: k.role, created_at: k.createdAt, expires_at: k.expiresAt, revoked_at: k.revokedAt, last_used_at: k.lastUsedAt })),
        ['id', 'name', 'prefix', 'role', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'],
      );
      return 0;
    },
  },
  'apikey revoke': {
    summary: 'Revoke an API key',
    usage: 'usher apikey revoke ID',
    options: { ...AS },
    async run({ values, positionals, out }) {
      if (!positionals[0]) throw new UsageError('give the key id (usher apikey list)');
      const { core: c } = await core();
      await c.apiKeys.revoke(await operator(str(values.as)), positionals[0]);
      out.note(`key ${positionals[0]} revoked`);
      return 0;
    },
  },
  import: {
    summary: 'Import users from CSV or JSONL (plain passwords or existing hashes)',
    usage: 'usher import FILE [--format csv|jsonl] [--skip-invalid [--reject-file F]] [--upsert]',
    options: {
      format: { type: 'string', description: 'csv or jsonl (default: from the file name)' },
      'skip-invalid': { type: 'boolean', description: 'Import the good rows; write the bad ones, with reasons, to the reject file' },
      'reject-file': { type: 'string', description: 'Where --skip-invalid writes bad rows (default: FILE.rejects.jsonl)' },
      upsert: { type: 'boolean', description: 'Update users that already exist (same username or email) instead of refusing them' },
      ...AS,
    },
    async run({ values, positionals, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the file to import');
      if (!isFile(file)) throw new UsageError(`${file} is not a readable file`);
      const format = formatOf(file, str(values.format));
      if (!format) throw new UsageError('give --format csv or --format jsonl (the file name does not say)');
      if (values['reject-file'] && !values['skip-invalid']) throw new UsageError('--reject-file goes with --skip-invalid');
      const opened = await core();
      const actor = await operator(str(values.as)).catch(() => null);
      const total = await countRows(file, format);
      const bar = progress('import', total);
      const rejects = values['skip-invalid'] ? atomicFile(str(values['reject-file']) ?? `${file}.rejects.jsonl`) : undefined;
      const started = performance.now();
      try {
        const result = await importUsers({ storage: opened.storage, hasher: opened.core.hasher, now: opened.core.now }, readRows(file, format), actor?.userId ?? null, {
          upsert: values.upsert === true,
          skipInvalid: values['skip-invalid'] === true,
          onProgress: (n) => bar.update(n),
          onReject: (line, reason, fields) => {
            // A plain password never goes into the reject file.
            const { password: _, ...row } = fields ?? {};
            rejects!.stream.write(`${JSON.stringify({ line, reason, row })}\n`);
          },
        });
        bar.finish(total);
        await rejects?.commit();
        const seconds = Math.round(performance.now() - started) / 1000;
        const summary = { created: result.created, updated: result.updated, rejected: result.rejected, seconds, ...(rejects && result.rejected > 0 && { reject_file: str(values['reject-file']) ?? `${file}.rejects.jsonl` }) };
        if (out.json) out.record(summary);
        else out.note(`imported ${result.created} new and ${result.updated} updated users in ${seconds} s${result.rejected ? `; ${result.rejected} bad rows skipped (see ${summary.reject_file})` : ''}`);
        return 0;
      } catch (error) {
        rejects?.abandon();
        if (error instanceof ImportError) {
          out.note(`\nimport stopped at line ${error.line}: ${error.reason}\nnothing was imported (--skip-invalid imports the good rows)`);
          return 1;
        }
        throw error;
      }
    },
  },
  export: {
    summary: 'Export users as JSONL or CSV (without password hashes unless asked)',
    usage: 'usher export [--format jsonl|csv] [--out FILE] [--include-deleted] [--with-hashes]',
    options: {
      format: { type: 'string', description: 'jsonl (default) or csv' },
      out: { type: 'string', description: 'Write to FILE (created 0600, whole or not at all) instead of stdout' },
      'include-deleted': { type: 'boolean', description: 'Also deleted users (with deleted_at)' },
      'with-hashes': { type: 'boolean', description: 'Include password hashes (to move users to another Usher)' },
    },
    async run({ values }) {
      const format = str(values.format) ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
      const { storage } = await core();
      const file = str(values.out) ? atomicFile(str(values.out)!) : undefined;
      const bar = file ? progress('export', undefined) : undefined;
      try {
        const n = await exportUsers(storage, file?.stream ?? process.stdout, {
          format,
          withHashes: values['with-hashes'] === true,
          includeDeleted: values['include-deleted'] === true,
          onProgress: (done) => bar?.update(done),
        });
        bar?.finish(n);
        await file?.commit();
        return 0;
      } catch (error) {
        file?.abandon();
        throw error;
      }
    },
  },
};

function help(name?: string): string {
  if (name && COMMANDS[name]) {
    const c = COMMANDS[name];
    const options = { ...c.options, ...COMMON };
    const width = Math.max(...Object.keys(options).map((k) => k.length)) + 2;
    return [`${c.summary}.`, '', `Usage: ${c.usage}`, '', 'Options:', ...Object.entries(options).map(([k, o]) => `  --${k.padEnd(width)}${o.description}`)].join('\n');
  }
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 2;
  return [
    'usher: run and manage a Usher user service.',
    '',
    'Usage: usher <command> [options]   (usher <command> --help for its options)',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}${c.summary}`),
    '',
    'It reads the same environment as the server (DATABASE_URL, REDIS_URL, ...); --database-url overrides DATABASE_URL.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = COMMANDS[`${words[0]} ${words[1]}`] ? `${words[0]} ${words[1]}` : words[0];
  if (!name || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${help(words[0] === 'help' ? words.slice(1).join(' ') : undefined)}\n`);
    return name || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help' ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    const group = Object.keys(COMMANDS).filter((k) => k.startsWith(`${name} `));
    process.stderr.write(group.length > 0 ? `usher ${name}: give one of ${group.map((g) => g.split(' ')[1]).join(', ')}\n` : `usher: no command ${name} (usher --help lists them)\n`);
    return 2;
  }
  const rest = argv.slice(argv.indexOf(name.split(' ').at(-1)!) + 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, ...COMMON }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`usher ${name}: ${(error as Error).message}\n${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${help(name)}\n`);
    return 0;
  }
  // No option is declared `multiple`, so every value is a string or a flag.
  const values = parsed.values as Record<string, string | boolean | undefined>;
  databaseUrl = str(values['database-url']);
  const out = output(values.json === true);
  try {
    return await command.run({ values, positionals: parsed.positionals, out });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`usher ${name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof AppError) {
      const details = error.details && Object.keys(error.details).length > 0 ? ` (${Object.entries(error.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ')})` : '';
      process.stderr.write(`usher ${name}: ${error.message}${details}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`usher: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`usher ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) {
  await opened?.close().catch(() => {});
  process.exit(code);
}
