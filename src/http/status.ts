import { AppError, type ErrorCode } from '../core/errors.js';

/**
 * The HTTP status of every code in the core catalogue: typed by the
 * catalogue, so a new code cannot be added without its status. Codes that
 * share a status are listed in order of preference for turning a bare status
 * (Fastify's own errors) back into a code.
 */
export const STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  AUTHENTICATION_REQUIRED: 401,
  INSUFFICIENT_PERMISSIONS: 403,
  REAUTHENTICATION_REQUIRED: 403,
  EMAIL_NOT_VERIFIED: 403,
  RESOURCE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  DUPLICATE_RESOURCE: 409,
  REQUEST_IN_PROGRESS: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  RATE_LIMIT_EXCEEDED: 429,
  REQUEST_FAILED: 400,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const CODE_OF_STATUS = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(STATUS) as Array<[ErrorCode, number]>)
  if (!CODE_OF_STATUS.has(status)) CODE_OF_STATUS.set(status, code);

/** An error raised by the HTTP layer with a status of its own (one the catalogue may not know). */
export class HttpError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message?: string,
  ) {
    super(code, message, undefined, 'request');
  }
}

/**
 * The error for a bare HTTP status: the catalogue's code for it, or REQUEST_FAILED (or INTERNAL_SERVER_ERROR) keeping
 * the status.
 */
export function errorForStatus(status: number): AppError {
  const code = CODE_OF_STATUS.get(status);
  if (code) return new AppError(code, undefined, undefined, 'request');
  return new HttpError(status, status >= 400 && status < 500 ? 'REQUEST_FAILED' : 'INTERNAL_SERVER_ERROR');
}

export const statusOf = (error: AppError): number => (error instanceof HttpError ? error.status : STATUS[error.code]);
