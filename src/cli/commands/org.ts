import { memberV1, organizationV1 } from '../../surfaces/api-v1/organizations.presenter.js';
import { AS, type Command, UsageError, type Values, limitOf, str, strings } from '../command.js';
import { CLI_SYSTEM, operator, requireUser } from '../context.js';

/** `usher org …`: organizations and their members, as an admin. */

const COLUMNS = ['id', 'name', 'slug', 'domains', 'created_at'];

const FIELDS = {
  name: { type: 'string', description: 'The name (1-100 characters)' },
  slug: { type: 'string', description: 'Lower-case letters, digits and hyphens (default: from the name)' },
  domain: { type: 'string', multiple: true, description: 'An email domain it owns (repeat; replaces the list)' },
} as const;

const fieldsOf = (values: Values) => ({
  ...(str(values.name) !== undefined && { name: str(values.name) }),
  ...(str(values.slug) !== undefined && { slug: str(values.slug) }),
  ...(strings(values.domain) && { domains: strings(values.domain) }),
});

const orgOf = (positionals: string[]): string => {
  if (!positionals[0]) throw new UsageError('give the organization (id or slug; usher org list)');
  return positionals[0];
};

export const orgAdd: Command = {
  summary: 'Add an organization',
  usage: 'usher org add --name NAME [--slug SLUG] [--domain DOMAIN ...]',
  options: { ...FIELDS, ...AS },
  async run({ values, out, open }) {
    const name = str(values.name);
    if (!name) throw new UsageError('--name is required');
    const { core } = await open();
    out.record(
      organizationV1(
        await core.organizations.create(await operator(core, str(values.as)), { ...fieldsOf(values), name }),
      ),
    );
    return 0;
  },
};

export const orgList: Command = {
  summary: 'List organizations, newest first',
  usage: 'usher org list [--search TEXT] [--limit N] [--cursor C]',
  options: {
    search: { type: 'string', description: 'A part of the name or slug' },
    limit: { type: 'string', description: 'How many (default 20)' },
    cursor: { type: 'string', description: 'The next page (printed under the list)' },
  },
  async run({ values, out, open }) {
    const limit = limitOf(values);
    const { core } = await open();
    const page = await core.organizations.list(CLI_SYSTEM, {
      search: str(values.search),
      cursor: str(values.cursor),
      limit,
    });
    out.rows(page.organizations.map(organizationV1), COLUMNS);
    if (!out.json && page.nextCursor) out.note(`next page: --cursor ${page.nextCursor}`);
    return 0;
  },
};

export const orgUpdate: Command = {
  summary: 'Change an organization (only the options given)',
  usage: 'usher org update ORG [--name NAME] [--slug SLUG] [--domain DOMAIN ...]',
  options: { ...FIELDS, ...AS },
  async run({ values, positionals, out, open }) {
    const id = orgOf(positionals);
    const fields = fieldsOf(values);
    if (Object.keys(fields).length === 0) throw new UsageError('give at least one change');
    const { core } = await open();
    out.record(organizationV1(await core.organizations.update(await operator(core, str(values.as)), id, fields)));
    return 0;
  },
};

export const orgRemove: Command = {
  summary: 'Remove an organization with its memberships and invitations',
  usage: 'usher org remove ORG',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = orgOf(positionals);
    const { core } = await open();
    await core.organizations.delete(await operator(core, str(values.as)), id);
    out.note(`organization ${id} removed`);
    return 0;
  },
};

export const orgMemberAdd: Command = {
  summary: 'Make a user a member of an organization, with organization roles',
  usage: 'usher org member add ORG USER [--role ROLE ...]',
  options: {
    role: { type: 'string', multiple: true, description: 'An organization role, by name or id (repeat)' },
    ...AS,
  },
  async run({ values, positionals, out, open }) {
    const id = orgOf(positionals);
    const user = await requireUser(open, positionals[1]);
    const { core } = await open();
    const member = await core.organizations.members.add(
      await operator(core, str(values.as)),
      id,
      user.id,
      strings(values.role),
    );
    out.record({ ...memberV1(member), roles: member.roles.map((r) => r.name) });
    return 0;
  },
};

export const orgMemberRemove: Command = {
  summary: 'End a user’s membership of an organization',
  usage: 'usher org member remove ORG USER',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = orgOf(positionals);
    const user = await requireUser(open, positionals[1]);
    const { core } = await open();
    await core.organizations.members.remove(await operator(core, str(values.as)), id, user.id);
    out.note(`${user.username} is no longer a member of ${id}`);
    return 0;
  },
};
