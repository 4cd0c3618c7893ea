import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import type { PictureUrl } from '../shared/links.js';
import { errorKeyed, statusKeyed } from './presenter.js';
import { keyedRoutes, requireApiKey } from './routes.js';

/** /v1: users-api-keyed.md over the core. Register with prefix '/v1'. */
export async function keyedV1(app: FastifyInstance, opts: { core: Core; pictureUrl: PictureUrl }): Promise<void> {
  useErrorEnvelope(app, errorKeyed, statusKeyed);
  requireApiKey(app);
  keyedRoutes(app, opts.core, opts.pictureUrl);
}
