import { ROLES, STATUSES, type Principal, type User } from '../core/types.js';
import {
  AS,
  type Command,
  PASSWORD,
  USER_COLUMNS,
  UsageError,
  core,
  operator,
  passwordFrom,
  requireUser,
  str,
  userRow,
} from './context.js';

/** The commands that run the service and manage users and API keys, one at a time. */

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

export const USER_COMMANDS: Record<string, Command> = {
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
    usage:
      'usher user create --username NAME --email EMAIL (--password P | --password-stdin) [--role R] [--status S] [--first-name F] [--last-name L]',
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
        const none =
          (
            await c.users.list(
              { userId: null, role: 'admin', sessionId: null, apiKeyId: null, authAt: null },
              { role: 'admin', sort: 'created_at', order: 'asc', limit: 1 },
            )
          ).total === 0;
        if (none && !values.as)
          return {
            userId: null,
            role: 'admin' as const,
            sessionId: null,
            apiKeyId: null,
            authAt: null,
            client: { ip: 'cli', userAgent: 'usher-cli' },
          };
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
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new UsageError('--limit must be a whole number from 1 to 100');
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
      if (!out.json)
        out.note(`${page.total} in all${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}`);
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
      out.record({
        id: key.id,
        name: key.name,
        role: key.role,
        prefix: key.prefix,
        expires_at: key.expiresAt,
        key: secret,
      });
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
        keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          role: k.role,
          created_at: k.createdAt,
          expires_at: k.expiresAt,
          revoked_at: k.revokedAt,
          last_used_at: k.lastUsedAt,
        })),
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
};
