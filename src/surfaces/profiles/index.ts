import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import { plainError } from '../shared/errors.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { profilesRoutes } from './profiles.routes.js';

/** /api/users/profiles: user profiles with preferences, over the core. Register with prefix '/api/users/profiles'. */
export async function profilesApi(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  useErrorEnvelope(app, plainError);
  refuseUnknownQueryParameters(app);
  profilesRoutes(app, opts.core);
}
