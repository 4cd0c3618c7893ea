import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { unauthenticated } from '../../core/errors.js';
import { useErrorEnvelope } from '../../http/errors.js';
import { credentialsOf } from '../../http/principal.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { authRoutes } from './auth.routes.js';
import { errorKeyed, statusKeyed } from './presenter.js';
import { usersRoutes } from './users.routes.js';

/** /v1: the API-key surface (users, login and logout for an application). Register with prefix '/v1'. */
export async function keyedV1(app: FastifyInstance, opts: { core: Core; pictureUrl: PictureUrl }): Promise<void> {
  useErrorEnvelope(app, errorKeyed, statusKeyed);
  refuseUnknownQueryParameters(app);
  // Every /v1 endpoint needs a valid X-API-Key, whatever else the request carries.
  app.addHook('onRequest', async (request) => {
    if (request.principal?.apiKeyId) return;
    if (credentialsOf(request).apiKey !== undefined) throw request.authError ?? unauthenticated('Invalid API key');
    throw unauthenticated('X-API-Key header is required');
  });
  usersRoutes(app, opts.core, opts.pictureUrl);
  authRoutes(app, opts.core);
}
