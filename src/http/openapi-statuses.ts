import { headers, IDEMPOTENCY_KEY, IF_MATCH, ROOT_ERROR, rewrite, type Json } from './openapi-components.js';

/** One operation of the document, with the marks the route's flags left on it (openapi.ts). */
export type Operation = {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  'x-body-optional'?: boolean;
  'x-idempotent'?: boolean;
  'x-versioned'?: boolean;
  'x-unlimited'?: boolean;
  responses?: Record<string, Response>;
  parameters?: Array<Record<string, unknown>>;
  operationId?: string;
  security?: unknown[];
};
type Response = { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };

const REQUEST_ID = headers('X-Request-Id');
const RATE_LIMIT = headers('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset');
const RETRY_AFTER = headers('Retry-After');
const ETAG = headers('ETag');
const REPLAYED = headers('Idempotent-Replayed');
const WITHHELD = headers('Idempotent-Secret-Withheld');
/** What each status means, where the route did not say. */
const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted (the answer is the same whether or not the address has an account)',
  204: 'Done; no body',
  400: 'A malformed request or an invalid field; the details name each field',
  401: 'No valid credential (or wrong username or password)',
  403: 'The credential may not do this',
  404: 'No such resource, or not one the caller may see',
  409: 'Conflicts with the current state (a username or email in use, a user not deleted)',
  422: 'Well-formed but refused (see the error code)',
};
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
// A body carrying one of these is hashed or checked against a hash: the fair hashing queue may answer 503.
const PASSWORD_FIELDS = new Set(['password', 'new_password', 'old_password', 'current_password']);

/** Whether a schema (or one it contains) has a property named like a password. */
const takesPassword = (schema: unknown): boolean => {
  let found = false;
  rewrite(schema, (node) => {
    const properties = node.properties as Json | undefined;
    if (properties && Object.keys(properties).some((name) => PASSWORD_FIELDS.has(name))) found = true;
    return node;
  });
  return found;
};

/**
 * What every operation can answer beyond its own route schema, added to the
 * document: 413 and 415 wherever a JSON body is taken, 429 wherever requests
 * are counted, 503 on password checks, ETag, If-Match and 412 where one user
 * is read or written at a version, and the response headers (request id,
 * rate-limit headers, Retry-After). The error body is the operation's own
 * error envelope (copied from its other errors).
 */
export function completeOperation(path: string, method: string, operation: Operation): void {
  const { 'x-idempotent': idempotent, 'x-versioned': versioned, 'x-unlimited': unlimited } = operation;
  delete operation['x-idempotent'];
  delete operation['x-versioned'];
  delete operation['x-unlimited'];
  const responses = (operation.responses ??= {});
  const errorContent = Object.entries(responses).find(([code]) => /^4\d\d$/.test(code))?.[1].content ?? ROOT_ERROR;
  const add = (code: string, description: string) => {
    if (!responses[code] && errorContent) responses[code] = { description, content: errorContent };
  };
  // Every surface refuses unknown query parameters and malformed ids or headers with 400.
  if (errorContent !== ROOT_ERROR)
    add('400', 'A malformed request: an unknown query parameter, an invalid field or header; the details name each');
  if (path.includes('{')) add('414', 'A path parameter longer than the server accepts');
  if (operation.requestBody) {
    add('413', 'The body is larger than the route accepts');
    add('415', 'The body is not application/json');
  }
  if (!unlimited) add('429', 'A rate limit (or the account lockout) refuses the request; see Retry-After');
  if (takesPassword(operation.requestBody))
    add('503', 'Too many password checks are waiting: retry after Retry-After seconds');
  const parameters = (operation.parameters ??= []);
  if (versioned && method !== 'get') {
    parameters.push(IF_MATCH);
    add('412', 'If-Match names no current version of the user: someone changed it since your read');
  }
  if (idempotent) {
    parameters.push(IDEMPOTENCY_KEY);
    add('400', 'A malformed Idempotency-Key');
    add('409', 'A request with this Idempotency-Key is still in progress');
    add('422', 'This Idempotency-Key was used with another body');
    for (const [code, response] of Object.entries(responses))
      if (!code.startsWith('5'))
        response.headers = {
          ...REPLAYED,
          ...(code.startsWith('2') && JSON.stringify(response.content ?? {}).includes('"x-secret"') && WITHHELD),
          ...response.headers,
        };
  }
  if (parameters.length === 0) delete operation.parameters;
  if (path === '/pictures/{id}') {
    responses['200'] = {
      description: 'The picture, as stored (checked by its content)',
      content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
    };
    add('400', 'A malformed picture id');
    add('404', 'No such picture (deleted or replaced ones are gone at once)');
  }
  if (versioned && responses['200']) responses['200'].headers = { ...ETAG, ...responses['200'].headers };
  for (const [code, response] of Object.entries(responses)) {
    if (response.description === 'Default Response' && STATUS_TEXT[code]) response.description = STATUS_TEXT[code];
    response.headers = {
      ...REQUEST_ID,
      ...(!unlimited && RATE_LIMIT),
      ...((code === '429' || code === '503') && RETRY_AFTER),
      ...response.headers,
    };
  }
}
