import type { Core } from '../../core/core.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { plainError } from '../shared/errors.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { accountRoutes } from './account.routes.js';

/** The account API: self-service register, login, profile, password and logout under /api. */
export const accountApi: Surface<{ core: Core; pictureUrl: PictureUrl }> = {
  prefix: '/api',
  envelope: plainError,
  status: statusOf,
  tag: {
    name: 'account',
    description:
      "The account API (Django REST shape) under /api: register, log in, one's own profile, password change. Paths answer with and without the trailing slash.",
  },
  async plugin(app, { core, pictureUrl }) {
    refuseUnknownQueryParameters(app);
    accountRoutes(app, core, pictureUrl);
  },
};
