import { type Config, ConfigError } from '../config.js';
import type { Core } from './core.types.js';
import { AppError } from './errors.js';
import { systemPrincipal } from './types.js';

/**
 * Creates the configured admin at start when no user of that name exists. A
 * configuration that cannot be honoured (the username belongs to a user who
 * is not an admin, or the email to another user) throws ConfigError: the
 * server must not start believing it has an admin it has not. Several
 * instances starting at once race on the unique indexes (username or email,
 * whichever the database checks first); the losers find the winner's admin
 * and carry on.
 */
export async function ensureAdmin(core: Core, admin: Config['admin']): Promise<'created' | 'exists' | 'skipped'> {
  if (!admin) return 'skipped';
  const existing = async (): Promise<'exists' | undefined> => {
    const user = await core.users.lookup({ username: admin.username });
    if (!user) return undefined;
    if (user.role !== 'admin')
      throw new ConfigError(
        'USHER_ADMIN_USERNAME',
        `names "${admin.username}", an existing user who is not an admin; choose another username or promote that user`,
      );
    return 'exists';
  };
  if (await existing()) return 'exists';
  try {
    // The service's own work: the event names no actor, and `bootstrap` as its client.
    await core.users.create(
      systemPrincipal(),
      { username: admin.username, email: admin.email, password: admin.password, role: 'admin', status: 'active' },
      { client: { ip: 'bootstrap' } },
    );
    return 'created';
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'DUPLICATE_RESOURCE') throw error;
    // Another instance may have created this admin meanwhile: the index it collided on may be the email's.
    const raced = await existing();
    if (raced) return raced;
    if (error.details?.field === 'email')
      throw new ConfigError(
        'USHER_ADMIN_EMAIL',
        `"${admin.email}" belongs to another user than "${admin.username}"; choose another email`,
      );
    throw error;
  }
}
