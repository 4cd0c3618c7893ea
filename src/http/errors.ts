import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.js';
import { fieldErrors } from './validation.js';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'AUTHENTICATION_REQUIRED',
  403: 'INSUFFICIENT_PERMISSIONS',
  404: 'RESOURCE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'DUPLICATE_RESOURCE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMIT_EXCEEDED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Everything that can go wrong, as an AppError: ours pass through; Fastify's
 * own (schema validation, body parsing, size, media type) become catalogue
 * codes; anything else is a 500 whose cause stays in the log.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError> & { validation?: unknown };
  if (Array.isArray(e.validation)) {
    const fields = fieldErrors(e.validation, e.validationContext);
    // A body that is not a JSON object at all is a malformed request, not a bad field.
    const source = e.validationContext === 'body' ? ('body' in fields ? 'transport' : undefined) : (e.validationContext as 'querystring' | 'params' | 'headers');
    return new AppError('VALIDATION_ERROR', undefined, fields, source);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('VALIDATION_ERROR', 'Request body is empty', { body: 'Send a JSON object or no Content-Type header' }, 'transport');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformedJson();
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 400 && error instanceof SyntaxError) return malformedJson();
  const code = status >= 400 && status < 500 ? (BY_STATUS[status] ?? 'VALIDATION_ERROR') : status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  return new AppError(code, undefined, undefined, 'transport');
}

const malformedJson = () => new AppError('VALIDATION_ERROR', 'Malformed JSON body', { body: 'Request body is not valid JSON' }, 'transport');

/** How one surface writes an error: its envelope, from the shared AppError. */
export type ErrorFormatter = (error: AppError, request: FastifyRequest) => unknown;

/**
 * Installs one surface's error and not-found handlers inside its plugin scope.
 * `statusOf` lets a surface answer with another status than the catalogue's.
 */
export function useErrorEnvelope(app: FastifyInstance, format: ErrorFormatter, statusOf: (error: AppError) => number = (e) => e.status): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.status >= 500 && appError.code !== 'SERVICE_UNAVAILABLE') request.log.error({ reqId: request.id, err: error }, 'request failed');
    // 429 and 503 say when to come back, in the header as well as the body.
    const retryAfter = appError.details?.retry_after;
    if (typeof retryAfter === 'number') reply.header('retry-after', retryAfter);
    return reply.code(statusOf(appError)).send(format(appError, request));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('RESOURCE_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(404).send(format(error, request));
  });
}
