import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { challenge } from './security-headers.js';
import { errorForStatus } from './status.js';
import { fieldErrors } from './validation.js';

const malformedJson = () =>
  new AppError('VALIDATION_ERROR', 'Malformed JSON body', { body: 'Request body is not valid JSON' }, 'request');

/**
 * Everything that can go wrong, as an AppError: ours pass through; Fastify's
 * own (schema validation, body parsing, size, media type) become catalogue
 * codes; any other status keeps its status with a generic code; anything
 * else is a 500 whose cause stays in the log.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError> & { validation?: unknown };
  if (Array.isArray(e.validation)) {
    const fields = fieldErrors(e.validation, e.validationContext);
    // A body that is not a JSON object at all is a malformed request, not a bad field.
    const scope = e.validationContext === 'body' ? ('body' in fields ? 'request' : 'fields') : 'query';
    return new AppError('VALIDATION_ERROR', undefined, fields, scope);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', undefined, undefined, 'request');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', undefined, undefined, 'request');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        'VALIDATION_ERROR',
        'Request body is empty',
        { body: 'Send a JSON object or no Content-Type header' },
        'request',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformedJson();
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 400 && error instanceof SyntaxError) return malformedJson();
  return errorForStatus(status);
}

/** How one surface writes an error: its envelope, from the shared AppError. */
export type ErrorFormatter = (error: AppError, request: FastifyRequest) => unknown;

/**
 * Installs one surface's error and not-found handlers inside its plugin scope (mountSurfaces), or the root's: its
 * envelope and the status it answers an error with (statusOf, or a rule of the surface's own).
 */
export function useErrorEnvelope(
  app: FastifyInstance,
  format: ErrorFormatter,
  status: (error: AppError) => number,
): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    const code = status(appError);
    if (code >= 500 && appError.code !== 'SERVICE_UNAVAILABLE')
      request.log.error({ reqId: request.id, err: error }, 'request failed');
    // 429 and 503 say when to come back, in the header as well as the body.
    const retryAfter = appError.details?.retry_after;
    if (typeof retryAfter === 'number') reply.header('retry-after', retryAfter);
    if (code === 401) challenge(request, reply, appError.message);
    return reply.code(code).send(format(appError, request));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('RESOURCE_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(404).send(format(error, request));
  });
}
