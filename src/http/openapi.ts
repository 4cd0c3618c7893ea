import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

type Schema = Record<string, unknown> & { body?: { required?: unknown[] }; operationId?: string };
type Response = { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
type Operation = { requestBody?: { required?: boolean }; 'x-body-optional'?: boolean; responses?: Record<string, Response>; operationId?: string };

const header = (description: string, type: 'string' | 'integer' = 'string') => ({ description, schema: { type } });
const REQUEST_ID = { 'X-Request-Id': header('The request id (echoed when the client sent a sane one)') };
const RATE_LIMIT = {
  'X-RateLimit-Limit': header('The limit closest to running out', 'integer'),
  'X-RateLimit-Remaining': header('Requests left in its window', 'integer'),
  'X-RateLimit-Reset': header('When its window ends (epoch seconds)', 'integer'),
};
const RETRY_AFTER = { 'Retry-After': header('Seconds until a retry may succeed', 'integer') };
const ETAG = { ETag: header("The user's version; send it back as If-Match to write only if nobody changed the user meanwhile") };
// Operations that read or write one user answer its ETag.
const VERSIONED = /^\/(api\/v1\/users|v1\/users|api\/users\/profiles)\/\{[^}]+\}$|^\/api\/profile\/?$/;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
// Routes outside every surface answer errors in the root envelope ({error: {code, message, details, timestamp, path}}).
const ROOT_ERROR = {
  'application/json': {
    schema: {
      type: 'object',
      properties: { error: { type: 'object', required: ['code', 'message', 'details'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' }, timestamp: { type: 'string' }, path: { type: 'string' } } } },
      required: ['error'],
    },
  },
};
// Routes that are never rate limited (probes).
const UNLIMITED = new Set(['/health', '/ready']);

/**
 * What every operation can answer beyond its own route schema, added to the
 * document: 413 and 415 wherever a JSON body is taken, 429 wherever requests
 * are counted, 503 on password checks, and the response headers (request id,
 * rate-limit headers, Retry-After). The error body is the operation's own
 * error envelope (copied from its other errors).
 */
function completeOperation(path: string, operation: Operation): void {
  const responses = (operation.responses ??= {});
  const errorContent = Object.entries(responses).find(([code]) => /^4\d\d$/.test(code))?.[1].content ?? ROOT_ERROR;
  const add = (code: string, description: string) => {
    if (!responses[code] && errorContent) responses[code] = { description, content: errorContent };
  };
  if (operation.requestBody) {
    add('413', 'The body is larger than the route accepts');
    add('415', 'The body is not application/json');
  }
  const limited = !UNLIMITED.has(path);
  if (limited) add('429', 'A rate limit (or the account lockout) refuses the request; see Retry-After');
  if (path === '/pictures/{id}') {
    responses['200'] = { description: 'The picture, as stored (checked by its content)', content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) };
    add('400', 'A malformed picture id');
    add('404', 'No such picture (deleted or replaced ones are gone at once)');
  }
  if (VERSIONED.test(path) && responses['200']) responses['200'].headers = { ...ETAG, ...responses['200'].headers };
  for (const [code, response] of Object.entries(responses)) {
    response.headers = { ...REQUEST_ID, ...(limited && RATE_LIMIT), ...((code === '429' || code === '503') && RETRY_AFTER), ...response.headers };
  }
}

/** A stable operationId from the method and path: `GET /api/v1/users/:id` is `getApiV1UsersId`. */
export const operationIdOf = (method: string, url: string): string =>
  method.toLowerCase() +
  url
    .split(/[/:_.-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/**
 * The OpenAPI 3.1 document of every surface, from the route schemas: each
 * operation gets a stable operationId; a body none of whose fields is
 * required is marked optional (the plugin marks every body required).
 */
export async function openApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Usher',
        version: '1.0.0',
        description: 'Self-hostable user management: four API surfaces over one core (see docs/surfaces.md).',
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Usher maintainers' },
      },
      servers: [{ url: config.publicUrl ?? '/', description: config.publicUrl ? 'This deployment' : 'The server this document came from' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <access token> (account API)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const s = { ...(schema as Schema) };
      s.operationId ??= operationIdOf(String(route.method), url);
      if (s.body && !(Array.isArray(s.body.required) && s.body.required.length > 0)) s['x-body-optional'] = true;
      return { schema: s as never, url };
    },
    transformObject: (documents) => {
      const doc = 'openapiObject' in documents ? documents.openapiObject : documents.swaggerObject;
      const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
      for (const [path, item] of Object.entries(paths)) {
        for (const operation of Object.values(item)) {
          if (operation['x-body-optional'] && operation.requestBody) operation.requestBody.required = false;
          delete operation['x-body-optional'];
          completeOperation(path, operation);
        }
      }
      // The account API answers with and without the trailing slash: both are documented.
      for (const [path, item] of Object.entries(paths)) {
        if (!path.startsWith('/api/') || !path.endsWith('/') || path.startsWith('/api/v1/') || path.startsWith('/api/users/')) continue;
        const bare = path.slice(0, -1);
        if (paths[bare]) continue;
        paths[bare] = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, { ...op, operationId: `${op.operationId}NoSlash` }]));
      }
      return doc;
    },
  });
}
