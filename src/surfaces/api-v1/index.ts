import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { accountRoutes } from './account.routes.js';
import { apiKeysRoutes } from './api-keys.routes.js';
import { auditRoutes } from './audit.routes.js';
import { authRoutes } from './auth.routes.js';
import { errorV1 } from './presenter.js';
import { mfaRoutes } from './mfa.routes.js';
import { sessionsRoutes } from './sessions.routes.js';
import { usersRoutes } from './users.routes.js';

/**
 * /api/v1: the main REST surface (users, auth, API keys) in the {data, meta} envelope. Register with prefix '/api/v1'.
 */
export async function apiV1(app: FastifyInstance, opts: { core: Core; pictureUrl: PictureUrl }): Promise<void> {
  useErrorEnvelope(app, errorV1);
  refuseUnknownQueryParameters(app);
  usersRoutes(app, opts.core, opts.pictureUrl);
  authRoutes(app, opts.core);
  apiKeysRoutes(app, opts.core);
  auditRoutes(app, opts.core);
  accountRoutes(app, opts.core, opts.pictureUrl);
  sessionsRoutes(app, opts.core);
  mfaRoutes(app, opts.core);
}
