/**
 * The one catalogue of error codes (users-api-v1.md §5, plus the two transport
 * codes the spec leaves out) and the one error type every layer throws.
 * Each API surface turns an AppError into its own envelope.
 */
export const ERRORS = {
  VALIDATION_ERROR: { status: 400, message: 'Invalid input data' },
  AUTHENTICATION_REQUIRED: { status: 401, message: 'Authentication required' },
  INSUFFICIENT_PERMISSIONS: { status: 403, message: 'Insufficient permissions' },
  REAUTHENTICATION_REQUIRED: { status: 403, message: 'Recent authentication required: give current_password, or log in again' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Resource not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  DUPLICATE_RESOURCE: { status: 409, message: 'Username or email already exists' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type; send application/json' },
  UNPROCESSABLE_ENTITY: { status: 422, message: 'Request understood but cannot be processed' },
  RATE_LIMIT_EXCEEDED: { status: 429, message: 'Rate limit exceeded. Please try again later.' },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service temporarily unavailable' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Field name -> human message, for validation failures. */
export type FieldErrors = Record<string, string>;

export type ErrorDetails = Record<string, unknown>;

/**
 * Where a validation failure came from, for surfaces that answer differently
 * (the keyed /v1 spec: a malformed request or bad query is 400, a bad field 422).
 * Unset means a field of the request's content.
 */
export type ErrorSource = 'transport' | 'querystring' | 'params' | 'headers';

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetails,
    readonly source?: ErrorSource,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export const validationError = (fields: FieldErrors, message?: string): AppError =>
  new AppError('VALIDATION_ERROR', message, fields);

export const notFound = (what = 'User', id?: string): AppError =>
  new AppError('RESOURCE_NOT_FOUND', `${what} not found`, id === undefined ? undefined : { id });

export const forbidden = (message = 'Insufficient permissions'): AppError =>
  new AppError('INSUFFICIENT_PERMISSIONS', message);

export const unauthenticated = (message = 'Authentication required'): AppError =>
  new AppError('AUTHENTICATION_REQUIRED', message);

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
