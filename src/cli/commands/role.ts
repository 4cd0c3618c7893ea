import type { RoleFields } from '../../core/roles/role.service.js';
import { roleV1 } from '../../surfaces/api-v1/roles.presenter.js';
import { AS, type Command, UsageError, type Values, str, strings } from '../command.js';
import { CLI_SYSTEM, findUser, operator } from '../context.js';

/** `usher role …` and `usher user roles`: the roles a team defines, and users' global roles, as an admin. */

const COLUMNS = ['id', 'name', 'scope', 'permissions', 'description'];

const FIELDS = {
  name: { type: 'string', description: '1 to 64 letters, digits or _ - . :' },
  description: { type: 'string', description: 'What the role is for' },
  permission: { type: 'string', multiple: true, description: 'A permission like invoices:read (repeat)' },
  scope: { type: 'string', description: 'global (given to users, the default) or organization (to members); fixed' },
} as const;

function fieldsOf(values: Values): RoleFields {
  return {
    ...(str(values.name) !== undefined && { name: str(values.name) }),
    ...(str(values.description) !== undefined && { description: str(values.description) }),
    ...(strings(values.permission) && { permissions: strings(values.permission) }),
    ...(str(values.scope) !== undefined && { scope: str(values.scope) }),
  };
}

const idOf = (positionals: string[]): string => {
  if (!positionals[0]) throw new UsageError('give the role id or name (usher role list)');
  return positionals[0];
};

export const roleAdd: Command = {
  summary: 'Define a role for your applications (never a right on Usher itself)',
  usage: 'usher role add --name NAME [--permission P ...] [--description TEXT] [--scope global|organization]',
  options: { ...FIELDS, ...AS },
  async run({ values, out, open }) {
    if (!str(values.name)) throw new UsageError('--name is required');
    const { core } = await open();
    out.record(roleV1(await core.roles.create(await operator(core, str(values.as)), fieldsOf(values))));
    return 0;
  },
};

export const roleList: Command = {
  summary: 'List roles by name',
  usage: 'usher role list [--search TEXT] [--scope global|organization]',
  options: {
    search: { type: 'string', description: 'A part of the name' },
    scope: { type: 'string', description: 'global or organization' },
  },
  async run({ values, out, open }) {
    const { core } = await open();
    const roles = [];
    let cursor: string | undefined;
    do {
      const page = await core.roles.list(CLI_SYSTEM, {
        search: str(values.search),
        scope: str(values.scope),
        cursor,
        limit: 100,
      });
      roles.push(...page.roles);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    out.rows(
      roles.map((r) => ({ ...roleV1(r), ...(!out.json && { permissions: r.permissions.join(' ') }) })),
      COLUMNS,
    );
    return 0;
  },
};

export const roleUpdate: Command = {
  summary: 'Change a role (only the options given; --permission replaces the whole list)',
  usage: 'usher role update ID|NAME [--name NAME] [--permission P ...] [--description TEXT]',
  options: { ...FIELDS, ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const fields = fieldsOf(values);
    if (Object.keys(fields).length === 0) throw new UsageError('give at least one change');
    const { core } = await open();
    out.record(roleV1(await core.roles.update(await operator(core, str(values.as)), id, fields)));
    return 0;
  },
};

export const roleRemove: Command = {
  summary: 'Remove a role: every user and member holding it loses it',
  usage: 'usher role remove ID|NAME',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    await core.roles.delete(await operator(core, str(values.as)), id);
    out.note(`role ${id} removed`);
    return 0;
  },
};

export const userRoles: Command = {
  summary: "Show a user's global roles, or set them with --role (repeat; --none takes them all away)",
  usage: 'usher user roles USER [--role ID|NAME ...] [--none]',
  options: {
    role: { type: 'string', multiple: true, description: 'A global role the user holds afterwards (repeat)' },
    none: { type: 'boolean', description: 'Take every role away' },
    ...AS,
  },
  async run({ values, positionals, out, open }) {
    if (!positionals[0]) throw new UsageError('give the user (id, username or email)');
    const wanted = strings(values.role);
    if (wanted && values.none) throw new UsageError('give --role or --none, not both');
    const { core } = await open();
    const user = await findUser(core, positionals[0]);
    if (!user) throw new UsageError(`no user ${positionals[0]}`);
    const roles =
      wanted || values.none
        ? await core.roles.setUserRoles(await operator(core, str(values.as)), user.id, wanted ?? [])
        : await core.roles.userRoles(CLI_SYSTEM, user.id);
    out.rows(
      roles.map((r) => ({ ...roleV1(r), ...(!out.json && { permissions: r.permissions.join(' ') }) })),
      COLUMNS,
    );
    return 0;
  },
};
