import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import { errorV1 } from '../api-v1/presenter.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { sessionRoutes } from './session.routes.js';

/**
 * /console/api: the admin console's sign-in over the core, in the /api/v1 envelope. Register with prefix
 * '/console/api'.
 */
export async function consoleApi(
  app: FastifyInstance,
  opts: { core: Core; pictureUrl: PictureUrl; config: Config },
): Promise<void> {
  useErrorEnvelope(app, errorV1);
  refuseUnknownQueryParameters(app);
  sessionRoutes(app, opts.core, opts.pictureUrl, opts.config.refreshTokenTtl);
}
