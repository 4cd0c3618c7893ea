import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import { plainError } from '../shared/errors.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { accountRoutes } from './account.routes.js';

/**
 * The account API: self-service register, login, profile, password and logout under /api. Register with prefix '/api'.
 */
export async function accountApi(app: FastifyInstance, opts: { core: Core; pictureUrl: PictureUrl }): Promise<void> {
  useErrorEnvelope(app, plainError);
  refuseUnknownQueryParameters(app);
  accountRoutes(app, opts.core, opts.pictureUrl);
}
