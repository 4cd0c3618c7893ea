import type { Core } from '../../core/core.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { plainError } from '../shared/errors.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { profilesRoutes } from './profiles.routes.js';

/** /api/users/profiles: user profiles with preferences, over the core. */
export const profilesApi: Surface<{ core: Core }> = {
  prefix: '/api/users/profiles',
  envelope: plainError,
  status: statusOf,
  tag: { name: 'profiles', description: 'Profiles under /api/users/profiles: a user and their preferences.' },
  async plugin(app, { core }) {
    refuseUnknownQueryParameters(app);
    profilesRoutes(app, core);
  },
};
