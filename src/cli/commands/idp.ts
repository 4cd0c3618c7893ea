import type { ProviderFields } from '../../core/upstream/provider.rules.js';
import { identityProviderV1 } from '../../surfaces/api-v1/upstream.presenter.js';
import { AS, type Command, UsageError, type Values, str, strings } from '../command.js';
import { CLI_SYSTEM, operator } from '../context.js';

/** `usher idp …`: upstream identity providers (Google, Microsoft, GitHub, any OpenID provider), as an admin. */

const COLUMNS = ['id', 'type', 'display_name', 'issuer', 'client_id', 'enabled', 'auto_create', 'redirect_uri'];

const FIELDS = {
  issuer: { type: 'string', description: 'The OpenID issuer URL (oidc; google and microsoft have defaults)' },
  'client-id': { type: 'string', description: 'The client id Usher has at the provider' },
  'client-secret': {
    type: 'string',
    description: 'The client secret (visible in your shell history; prefer --client-secret-stdin)',
  },
  'client-secret-stdin': { type: 'boolean', description: 'Read the client secret from the first line of stdin' },
  scope: { type: 'string', multiple: true, description: 'A scope to ask for (repeat; on update, replaces the list)' },
  'display-name': { type: 'string', description: 'The button says "Sign in with <display name>"' },
  'authorization-url': { type: 'string', description: "github: the authorization endpoint (default GitHub's)" },
  'token-url': { type: 'string', description: "github: the token endpoint (default GitHub's)" },
  'api-url': { type: 'string', description: 'github: the REST API (GitHub Enterprise: https://HOST/api/v3)' },
  disabled: { type: 'boolean', description: 'Hide it from the sign-in pages' },
  enabled: { type: 'boolean', description: 'Show it on the sign-in pages' },
  'no-auto-create': { type: 'boolean', description: 'A first sign-in does not make a user' },
  'auto-create': { type: 'boolean', description: 'A first sign-in makes a user' },
} as const;

async function fieldsOf(values: Values): Promise<ProviderFields> {
  if (values.disabled && values.enabled) throw new UsageError('give --enabled or --disabled, not both');
  if (values['auto-create'] && values['no-auto-create'])
    throw new UsageError('give --auto-create or --no-auto-create, not both');
  let clientSecret = str(values['client-secret']);
  if (values['client-secret-stdin']) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    clientSecret = text.replace(/\r?\n$/, '');
  }
  return {
    ...(str(values.issuer) && { issuer: str(values.issuer) }),
    ...(str(values['client-id']) && { clientId: str(values['client-id']) }),
    ...(clientSecret !== undefined && { clientSecret }),
    ...(strings(values.scope) && { scopes: strings(values.scope) }),
    ...(str(values['display-name']) && { displayName: str(values['display-name']) }),
    ...(str(values['authorization-url']) && { authorizationUrl: str(values['authorization-url']) }),
    ...(str(values['token-url']) && { tokenUrl: str(values['token-url']) }),
    ...(str(values['api-url']) && { apiUrl: str(values['api-url']) }),
    ...(values.disabled === true && { enabled: false }),
    ...(values.enabled === true && { enabled: true }),
    ...(values['no-auto-create'] === true && { autoCreate: false }),
    ...(values['auto-create'] === true && { autoCreate: true }),
  };
}

const idOf = (positionals: string[]): string => {
  if (!positionals[0]) throw new UsageError('give the provider id (usher idp list)');
  return positionals[0];
};

export const idpAdd: Command = {
  summary: 'Add an identity provider (oidc, google, microsoft or github); prints the redirect URI to register there',
  usage:
    'usher idp add --type oidc|google|microsoft|github --client-id ID [--client-secret S | --client-secret-stdin] [--issuer URL] [--display-name NAME] [--scope S ...] [--authorization-url URL --token-url URL --api-url URL] [--disabled] [--no-auto-create]',
  options: { type: { type: 'string', description: 'oidc, google, microsoft or github' }, ...FIELDS, ...AS },
  async run({ values, out, open }) {
    const type = str(values.type);
    if (!type || !str(values['client-id'])) throw new UsageError('--type and --client-id are required');
    const fields = await fieldsOf(values);
    const { core } = await open();
    const p = await core.upstream.providers.create(await operator(core, str(values.as)), type, fields);
    out.record(identityProviderV1(p, core.upstream.providers.redirectUri(p.id)));
    if (!out.json) out.note('register redirect_uri at the provider as the callback');
    return 0;
  },
};

export const idpList: Command = {
  summary: 'List identity providers (never their client secrets)',
  usage: 'usher idp list',
  options: {},
  async run({ out, open }) {
    const { core } = await open();
    const list = await core.upstream.providers.list(CLI_SYSTEM);
    out.rows(
      list.map((p) => identityProviderV1(p, core.upstream.providers.redirectUri(p.id))),
      COLUMNS,
    );
    return 0;
  },
};

export const idpUpdate: Command = {
  summary: 'Change an identity provider (only the options given)',
  usage:
    'usher idp update ID [--client-id ID] [--client-secret S | --client-secret-stdin] [--issuer URL] [--display-name NAME] [--scope S ...] [--enabled | --disabled] [--auto-create | --no-auto-create] [--authorization-url URL] [--token-url URL] [--api-url URL]',
  options: { ...FIELDS, ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const fields = await fieldsOf(values);
    if (Object.keys(fields).length === 0) throw new UsageError('give at least one change');
    const { core } = await open();
    const p = await core.upstream.providers.update(await operator(core, str(values.as)), id, fields);
    out.record(identityProviderV1(p, core.upstream.providers.redirectUri(p.id)));
    return 0;
  },
};

export const idpRemove: Command = {
  summary:
    'Remove an identity provider (every identity linked at it is unlinked; --force even if a user is left no way in)',
  usage: 'usher idp remove ID [--force]',
  options: {
    ...AS,
    force: { type: 'boolean', description: 'remove it even if a user is left with no way to sign in' },
  },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    await core.upstream.providers.delete(await operator(core, str(values.as)), id, { force: values.force === true });
    out.note(`identity provider ${id} removed`);
    return 0;
  },
};
