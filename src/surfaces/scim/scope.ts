import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { ScimScope } from '../../core/scim/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The organization and token a SCIM request acts for (set by the SCIM surface). */
    scim?: ScimScope;
  }
}

/** The scope of an authenticated SCIM request. */
export function scopeOf(request: FastifyRequest): ScimScope {
  if (!request.scim) throw new AppError('AUTHENTICATION_REQUIRED');
  return request.scim;
}
