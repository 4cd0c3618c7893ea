import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';

/**
 * A provider that fails (unreachable, discovery, a refused ID token) is the operator's to fix: logged with its cause
 * (never a secret), then rethrown for the page, which names the provider only.
 */
export function logUpstreamFailure(request: FastifyRequest, providerId: string) {
  return (error: unknown): never => {
    if (error instanceof AppError && typeof error.details?.cause === 'string')
      request.log.warn(
        { provider: providerId, reason: error.details.reason, cause: error.details.cause },
        'upstream sign-in failed',
      );
    throw error;
  };
}
