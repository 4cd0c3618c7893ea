import type { User } from '../../core/types.js';
import { AS, type Command, UsageError, str } from '../command.js';
import { operator } from '../context.js';

/** `usher apikey …`: API keys made, listed and revoked as an admin. */

export const apikeyCreate: Command = {
  summary: 'Create an API key (the secret is shown once)',
  usage: 'usher apikey create --name NAME [--role R] [--expires-at ISO]',
  options: {
    name: { type: 'string', description: 'A name to recognise the key by' },
    role: { type: 'string', description: 'user, moderator or admin (default: admin)' },
    'expires-at': { type: 'string', description: 'ISO 8601 date-time (default: never)' },
    ...AS,
  },
  async run({ values, out, open }) {
    const name = str(values.name);
    if (!name) throw new UsageError('--name is required');
    const { core } = await open();
    const { key, secret } = await core.apiKeys.create(await operator(core, str(values.as)), {
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
};

export const apikeyList: Command = {
  summary: 'List API keys (never their secrets)',
  usage: 'usher apikey list',
  options: { ...AS },
  async run({ values, out, open }) {
    const { core } = await open();
    const keys = await core.apiKeys.list(await operator(core, str(values.as)));
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
};

export const apikeyRevoke: Command = {
  summary: 'Revoke an API key',
  usage: 'usher apikey revoke ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    if (!positionals[0]) throw new UsageError('give the key id (usher apikey list)');
    const { core } = await open();
    await core.apiKeys.revoke(await operator(core, str(values.as)), positionals[0]);
    out.note(`key ${positionals[0]} revoked`);
    return 0;
  },
};
