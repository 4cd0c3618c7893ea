import type { ErrorBody } from './api-types.js';

/** An answer of the server other than success: its status and its `{error: {code, message, details}}`. */
export class UsherApiError extends Error {
  override readonly name = 'UsherApiError';

  constructor(
    readonly status: number,
    /**
     * The server's code (`VALIDATION_ERROR`, `RESOURCE_NOT_FOUND`, …), or `HTTP_ERROR` when the answer was not Usher's
     * JSON.
     */
    readonly code: string,
    message: string,
    /** For a validation error, one message per field; for a 429, `retry_after`. */
    readonly details: Record<string, unknown> = {},
    /** The `X-Request-Id` of the answer, to find it in the server's log. */
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** From a failed answer; `body` is its parsed JSON, if it had any. */
  static from(response: Response, body: unknown): UsherApiError {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new UsherApiError(response.status, error.code, error.message, error.details ?? {}, requestId);
    }
    // Not Usher's envelope: a proxy's error page, or a baseURL that points elsewhere.
    const message = response.ok
      ? `Expected a JSON answer, got HTTP ${response.status} without one`
      : `HTTP ${response.status} ${response.statusText}`.trim();
    return new UsherApiError(response.status, 'HTTP_ERROR', message, {}, requestId);
  }
}
