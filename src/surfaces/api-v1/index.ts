import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { useErrorEnvelope } from '../../http/errors.js';
import type { PictureUrl } from '../shared/links.js';
import { apiKeysRoutes } from './api-keys.routes.js';
import { authRoutes } from './auth.routes.js';
import { errorV1 } from './presenter.js';
import { usersRoutes } from './users.routes.js';

/** /api/v1: users-api-v1.md and users-api-basic.md, over the core. Register with prefix '/api/v1'. */
export async function apiV1(app: FastifyInstance, opts: { core: Core; pictureUrl: PictureUrl }): Promise<void> {
  useErrorEnvelope(app, errorV1);
  usersRoutes(app, opts.core, opts.pictureUrl);
  authRoutes(app, opts.core);
  apiKeysRoutes(app, opts.core);
}
