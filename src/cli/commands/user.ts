import { ROLES, STATUSES, type User } from '../../core/types.js';
import { AS, type Command, limitOf, PASSWORD, UsageError, passwordFrom, str } from '../command.js';
import { CLI_CLIENT, CLI_SYSTEM, operator, requireUser } from '../context.js';
import { userRecord } from '../export-format.js';

/** `usher user …`: users managed one at a time, through the core (its rules, the audit trail, the bus). */

const COLUMNS = ['id', 'username', 'email', 'role', 'status', 'created_at', 'last_login'];
const userRow = (u: User) => ({ ...userRecord(u), mfa_enabled: u.mfaEnabled });

export const userCreate: Command = {
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
  async run({ values, out, open }) {
    const username = str(values.username);
    const email = str(values.email);
    if (!username || !email) throw new UsageError('--username and --email are required');
    const password = await passwordFrom(values);
    const { core } = await open();
    // The very first admin has nobody to act as: the command itself (the system) vouches for it.
    const actor = await operator(core, str(values.as)).catch(async (error: unknown) => {
      const admins = await core.users.list(CLI_SYSTEM, { role: 'admin', sort: 'created_at', order: 'asc', limit: 1 });
      if (admins.total === 0 && !values.as) return CLI_SYSTEM;
      throw error;
    });
    const user = await core.users.create(
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
      { client: CLI_CLIENT },
    );
    out.record(userRow(user));
    return 0;
  },
};

export const userList: Command = {
  summary: 'List users (newest first)',
  usage: 'usher user list [--search TEXT] [--status S|deleted] [--role R] [--limit N] [--cursor C]',
  options: {
    search: { type: 'string', description: 'Substring of username, email or names' },
    status: { type: 'string', description: 'active, inactive, suspended, pending, or deleted' },
    role: { type: 'string', description: 'user, moderator or admin' },
    limit: { type: 'string', description: 'Rows (1-100, default 20)' },
    cursor: { type: 'string', description: 'Continue after a previous page (printed at its end)' },
  },
  async run({ values, out, open }) {
    const limit = limitOf(values);
    const { core } = await open();
    const page = await core.users.list(CLI_SYSTEM, {
      sort: 'created_at',
      order: 'desc',
      limit,
      ...(str(values.search) && { search: str(values.search) }),
      ...(str(values.status) && { status: str(values.status) as User['status'] }),
      ...(str(values.role) && { role: str(values.role) as User['role'] }),
      ...(str(values.cursor) && { cursor: str(values.cursor) }),
    });
    out.rows(page.users.map(userRow), COLUMNS);
    if (!out.json) out.note(`${page.total} in all${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}`);
    return 0;
  },
};

export const userGet: Command = {
  summary: 'Show one user',
  usage: 'usher user get USER   (id, username or email)',
  options: {},
  async run({ positionals, out, open }) {
    out.record(userRow(await requireUser(open, positionals[0])));
    return 0;
  },
};

/** `usher user set-<field> USER VALUE`: one field changed through the core (its rules: the last admin, ...). */
function setField(field: 'role' | 'status', values: readonly string[]): Command {
  return {
    summary: `Change a user's ${field}`,
    usage: `usher user set-${field} USER ${field.toUpperCase()}`,
    options: { ...AS },
    async run({ values: options, positionals, out, open }) {
      if (!positionals[1]) throw new UsageError(`give the ${field}: ${values.join(', ')}`);
      const user = await requireUser(open, positionals[0]);
      const { core } = await open();
      out.record(
        userRow(await core.users.update(await operator(core, str(options.as)), user.id, { [field]: positionals[1] })),
      );
      return 0;
    },
  };
}

export const userSetRole = setField('role', ROLES);
export const userSetStatus = setField('status', STATUSES);

export const userSetPassword: Command = {
  summary: "Set a user's password (their sessions end)",
  usage: 'usher user set-password USER (--password P | --password-stdin)',
  options: { ...PASSWORD, ...AS },
  async run({ values, positionals, out, open }) {
    const user = await requireUser(open, positionals[0]);
    const password = await passwordFrom(values);
    const { core } = await open();
    await core.users.update(await operator(core, str(values.as)), user.id, { password });
    out.note(`password of ${user.username} set`);
    return 0;
  },
};

export const userDelete: Command = {
  summary: 'Delete a user (soft: restore brings them back)',
  usage: 'usher user delete USER',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const user = await requireUser(open, positionals[0]);
    const { core } = await open();
    await core.users.remove(await operator(core, str(values.as)), user.id);
    out.note(`${user.username} deleted (id ${user.id})`);
    return 0;
  },
};

export const userRestore: Command = {
  summary: 'Bring a deleted user back',
  usage: 'usher user restore ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    if (!positionals[0]) throw new UsageError('give the id of the deleted user (usher user list --status deleted)');
    const { core } = await open();
    out.record(userRow(await core.users.restore(await operator(core, str(values.as)), positionals[0])));
    return 0;
  },
};
