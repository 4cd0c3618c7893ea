import type { ApplicationChanges, ApplicationType } from '../../core/applications/application.types.js';
import { AS, type Command, limitOf, UsageError, type Values, str, strings } from '../command.js';
import { applicationV1 } from '../../surfaces/api-v1/presenter.js';
import { CLI_SYSTEM, operator } from '../context.js';

/** `usher app …`: applications (the provider's clients) managed as an admin, through the core. */

const COLUMNS = ['id', 'name', 'type', 'client_id', 'redirect_uris', 'scopes', 'first_party', 'created_at'];

/** An application as the CLI prints it: as /api/v1 shows it. */
const appRecord = applicationV1;

const FIELDS = {
  'redirect-uri': {
    type: 'string',
    multiple: true,
    description: 'A redirect URI (repeat for more; on update, the given ones replace the list)',
  },
  'post-logout-redirect-uri': {
    type: 'string',
    multiple: true,
    description: 'A post-logout redirect URI (repeat for more; on update, replaces the list)',
  },
  scope: {
    type: 'string',
    multiple: true,
    description: 'An allowed scope (repeat for more; default openid profile email, + offline_access for web/native)',
  },
  'logo-uri': { type: 'string', description: 'An https URL of the logo' },
} as const;

/** The list options given, as the core's fields (absent stays absent). */
const listsOf = (values: Values): ApplicationChanges => ({
  ...(strings(values['redirect-uri']) && { redirectUris: strings(values['redirect-uri']) }),
  ...(strings(values['post-logout-redirect-uri']) && {
    postLogoutRedirectUris: strings(values['post-logout-redirect-uri']),
  }),
  ...(strings(values.scope) && { scopes: strings(values.scope) }),
  ...(str(values['logo-uri']) && { logoUri: str(values['logo-uri']) }),
});

const idOf = (positionals: string[]): string => {
  if (!positionals[0]) throw new UsageError('give the application id or client id (usher app list)');
  return positionals[0];
};

export const appCreate: Command = {
  summary: 'Create an application, an OpenID Connect client (a web or machine one gets a secret, shown once)',
  usage:
    'usher app create --name NAME --type web|spa|native|machine [--redirect-uri URI ...] [--post-logout-redirect-uri URI ...] [--scope S ...] [--first-party] [--logo-uri URL]',
  options: {
    name: { type: 'string', description: 'A name people recognise (shown on the sign-in and consent pages)' },
    type: { type: 'string', description: 'web, spa, native or machine' },
    ...FIELDS,
    'first-party': { type: 'boolean', description: 'Made by you: the provider may skip the consent screen' },
    ...AS,
  },
  async run({ values, out, open }) {
    const name = str(values.name);
    const type = str(values.type);
    if (!name || !type) throw new UsageError('--name and --type are required');
    const { core } = await open();
    const { application, secret } = await core.applications.create(await operator(core, str(values.as)), {
      name,
      type: type as ApplicationType,
      ...listsOf(values),
      ...(values['first-party'] === true && { firstParty: true }),
    });
    out.record({ ...appRecord(application), client_secret: secret });
    if (!out.json && secret) out.note('the client secret is shown only now: store it safely');
    return 0;
  },
};

export const appList: Command = {
  summary: 'List applications (newest first; never their secrets)',
  usage: 'usher app list [--search TEXT] [--limit N] [--cursor C]',
  options: {
    search: { type: 'string', description: 'Substring of the name' },
    limit: { type: 'string', description: 'Rows (1-100, default 20)' },
    cursor: { type: 'string', description: 'Continue after a previous page (printed at its end)' },
  },
  async run({ values, out, open }) {
    const limit = limitOf(values);
    const { core } = await open();
    const page = await core.applications.list(CLI_SYSTEM, {
      limit,
      ...(str(values.search) && { search: str(values.search) }),
      ...(str(values.cursor) && { cursor: str(values.cursor) }),
    });
    out.rows(page.applications.map(appRecord), COLUMNS);
    if (!out.json && page.nextCursor) out.note(`next page: --cursor ${page.nextCursor}`);
    return 0;
  },
};

export const appGet: Command = {
  summary: 'Show an application (never its secret)',
  usage: 'usher app get ID|CLIENT_ID',
  options: {},
  async run({ positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    out.record(appRecord(await core.applications.get(CLI_SYSTEM, id)));
    return 0;
  },
};

export const appUpdate: Command = {
  summary: 'Change an application (only the options given; a list option replaces the whole list)',
  usage:
    'usher app update ID|CLIENT_ID [--name NAME] [--redirect-uri URI ...] [--post-logout-redirect-uri URI ...] [--scope S ...] [--first-party | --third-party] [--logo-uri URL | --no-logo]',
  options: {
    name: { type: 'string', description: 'A new name' },
    ...FIELDS,
    'first-party': { type: 'boolean', description: 'Mark it first-party (the provider may skip consent)' },
    'third-party': { type: 'boolean', description: 'Mark it third-party (users are asked to consent)' },
    'no-logo': { type: 'boolean', description: 'Remove the logo' },
    ...AS,
  },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    if (values['first-party'] && values['third-party'])
      throw new UsageError('give --first-party or --third-party, not both');
    if (values['no-logo'] && str(values['logo-uri'])) throw new UsageError('give --logo-uri or --no-logo, not both');
    const changes: ApplicationChanges = {
      ...(str(values.name) && { name: str(values.name) }),
      ...listsOf(values),
      ...(values['first-party'] === true && { firstParty: true }),
      ...(values['third-party'] === true && { firstParty: false }),
      ...(values['no-logo'] === true && { logoUri: null }),
    };
    if (Object.keys(changes).length === 0) throw new UsageError('give at least one change');
    const { core } = await open();
    out.record(appRecord(await core.applications.update(await operator(core, str(values.as)), id, changes)));
    return 0;
  },
};

export const appDelete: Command = {
  summary: 'Delete an application (its client id and secret stop working at once)',
  usage: 'usher app delete ID|CLIENT_ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    await core.applications.delete(await operator(core, str(values.as)), id);
    out.note(`application ${id} deleted`);
    return 0;
  },
};

export const appRotateSecret: Command = {
  summary: 'Give a web or machine application a new client secret (shown once; the old one stops working)',
  usage: 'usher app rotate-secret ID|CLIENT_ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    const { application, secret } = await core.applications.rotateSecret(await operator(core, str(values.as)), id);
    out.record({ id: application.id, client_id: application.clientId, client_secret: secret });
    if (!out.json) out.note('the new client secret is shown only now: store it safely; the old one no longer works');
    return 0;
  },
};
