/**
 * The one catalogue of error codes (the specs' codes, plus the transport
 * codes they leave out) with their default messages, and the one error type
 * every layer throws. The core says what went wrong; each API surface decides
 * how to say it (http/status.ts maps codes to HTTP statuses).
 */
export const ERRORS = {
  VALIDATION_ERROR: 'Invalid input data',
  AUTHENTICATION_REQUIRED: 'Authentication required',
  INSUFFICIENT_PERMISSIONS: 'Insufficient permissions',
  EMAIL_NOT_VERIFIED: 'Verify your email address before logging in; ask for a new code if you need one',
  REAUTHENTICATION_REQUIRED: 'Recent authentication required: give current_password, or log in again',
  RESOURCE_NOT_FOUND: 'Resource not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  DUPLICATE_RESOURCE: 'Username or email already exists',
  REQUEST_IN_PROGRESS: 'A request with this Idempotency-Key is still in progress; retry shortly',
  PRECONDITION_FAILED: 'The resource has changed since you read it; read it again and retry',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type; send application/json',
  UNPROCESSABLE_ENTITY: 'Request understood but cannot be processed',
  RATE_LIMIT_EXCEEDED: 'Rate limit exceeded. Please try again later.',
  /** A refusal the catalogue has no code for (it keeps its own status). */
  REQUEST_FAILED: 'The request could not be handled',
  INTERNAL_SERVER_ERROR: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Service temporarily unavailable',
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Field name -> human message, for validation failures. */
export type FieldErrors = Record<string, string>;

export type ErrorDetails = Record<string, unknown>;

/**
 * What a validation failure is about, for surfaces that answer differently
 * (the keyed /v1 API: a malformed request or bad query is 400, a bad field 422):
 * the content of a record ('fields', the default), the parameters of a read
 * ('query'), or the request itself ('request': not JSON, nested too deep).
 */
export type ErrorScope = 'fields' | 'query' | 'request';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetails,
    readonly scope: ErrorScope = 'fields',
  ) {
    super(message ?? ERRORS[code]);
    this.name = 'AppError';
  }
}

export const validationError = (fields: FieldErrors, message?: string, scope: ErrorScope = 'fields'): AppError =>
  new AppError('VALIDATION_ERROR', message, fields, scope);

export const notFound = (what = 'User', id?: string): AppError =>
  new AppError('RESOURCE_NOT_FOUND', `${what} not found`, id === undefined ? undefined : { id });

export const forbidden = (message = 'Insufficient permissions'): AppError =>
  new AppError('INSUFFICIENT_PERMISSIONS', message);

export const unauthenticated = (message = 'Authentication required'): AppError =>
  new AppError('AUTHENTICATION_REQUIRED', message);

/** Unavailable for now; `retryAfter` seconds says when to come back. */
export const unavailable = (message: string, retryAfter: number): AppError =>
  new AppError('SERVICE_UNAVAILABLE', message, { retry_after: retryAfter });

/**
 * A password given to prove who the caller is (an old or current password)
 * was wrong. The HTTP layer counts these against the login limits, so an
 * account-change route is no oracle for guessing a password.
 */
export class WrongPasswordError extends AppError {
  constructor(field: string, label: string) {
    super('VALIDATION_ERROR', undefined, { [field]: `${label} is incorrect` });
  }
}
