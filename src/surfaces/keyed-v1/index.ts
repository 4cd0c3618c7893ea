import type { Core } from '../../core/core.js';
import { unauthenticated } from '../../core/errors.js';
import { credentialsOf } from '../../http/principal.js';
import type { Surface } from '../../http/surface.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { authRoutes } from './auth.routes.js';
import { errorKeyed, statusKeyed } from './presenter.js';
import { usersRoutes } from './users.routes.js';

/** /v1: the API-key surface (users, login and logout for an application). */
export const keyedV1: Surface<{ core: Core; pictureUrl: PictureUrl }> = {
  prefix: '/v1',
  envelope: errorKeyed,
  status: statusKeyed,
  tag: {
    name: 'v1 (API key)',
    description: 'Service-to-service API under /v1: every call carries X-API-Key; limit/offset or cursor lists.',
  },
  async plugin(app, { core, pictureUrl }) {
    refuseUnknownQueryParameters(app);
    // Every /v1 endpoint needs a valid X-API-Key, whatever else the request carries.
    app.addHook('onRequest', async (request) => {
      if (request.principal?.apiKeyId) return;
      if (credentialsOf(request).apiKey !== undefined) throw request.authError ?? unauthenticated('Invalid API key');
      throw unauthenticated('X-API-Key header is required');
    });
    usersRoutes(app, core, pictureUrl);
    authRoutes(app, core);
  },
};
