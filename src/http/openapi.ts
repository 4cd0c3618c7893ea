import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { RULE_SCHEMAS, type RuleName } from '../core/users/user.rules.js';

type Schema = Record<string, unknown> & { body?: { required?: unknown[] }; operationId?: string };
type Response = { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
type Operation = {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  'x-body-optional'?: boolean;
  'x-idempotent'?: boolean;
  responses?: Record<string, Response>;
  parameters?: Array<Record<string, unknown>>;
  operationId?: string;
  security?: unknown[];
};
type Json = Record<string, unknown>;

const header = (description: string, type: 'string' | 'integer' = 'string') => ({ description, schema: { type } });
/** The response headers, as components; operations refer to them. */
const HEADERS = {
  'X-Request-Id': header('The request id (echoed when the client sent a sane one)'),
  'X-RateLimit-Limit': header('The limit closest to running out', 'integer'),
  'X-RateLimit-Remaining': header('Requests left in its window', 'integer'),
  'X-RateLimit-Reset': header('When its window ends (epoch seconds)', 'integer'),
  'Retry-After': header('Seconds until a retry may succeed', 'integer'),
  ETag: header("The user's version; send it back as If-Match to write only if nobody changed the user meanwhile"),
  'Idempotent-Replayed': header(
    'true when the answer is the stored one of an earlier request with the same Idempotency-Key',
  ),
  'Idempotent-Secret-Withheld': header(
    'On a replay: the fields (dotted paths) whose secret was shown once, in the first answer, and is null here',
  ),
};
const headers = (...names: Array<keyof typeof HEADERS>) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
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
// Operations that read or write one user answer its ETag.
const VERSIONED = /^\/(api\/v1\/users|v1\/users|api\/users\/profiles)\/\{[^}]+\}$|^\/api\/profile\/?$/;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
// Routes outside every surface answer errors in the root envelope ({error: {code, message, details, timestamp, path}}).
const ROOT_ERROR = {
  'application/json': {
    schema: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            details: { type: 'object' },
            timestamp: { type: 'string' },
            path: { type: 'string' },
          },
        },
      },
      required: ['error'],
    },
  },
};
// Routes that are never rate limited (probes).
const UNLIMITED = new Set(['/health', '/ready']);
// A body carrying one of these is hashed or checked against a hash: the fair hashing queue may answer 503.
const PASSWORD_FIELDS = new Set(['password', 'new_password', 'old_password', 'current_password']);
const headerParameter = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string', ...(pattern && { pattern }) },
});
const IF_MATCH = headerParameter(
  'If-Match',
  'ETag(s) of a read: the write happens only if the user is still at one of these versions (412 otherwise); `*` matches any existing user',
);
const IDEMPOTENCY_KEY = headerParameter(
  'Idempotency-Key',
  'Makes a retry safe: the first successful answer to this key and body is stored for 24 hours (without its secrets) and replayed (with `Idempotent-Replayed: true`) instead of a second write; a refusal is not stored',
  '^[\\x21-\\x7e]{1,255}$',
);

/** Every subschema of `node` (objects and arrays, depth first, children before parents). */
function rewrite(node: unknown, visit: (schema: Json) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, visit));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = rewrite(value, visit);
  return visit(out);
}

/**
 * What the validator must not see but the document must say: a string marked
 * `x-rule` gets the core rule's constraints (RULE_SCHEMAS), and `x-default`
 * is a default the handler applies (the validator filling it in would clash
 * with another parameter).
 */
const withRule = (schema: Json): Json => {
  const { 'x-rule': rule, 'x-default': fallback, ...rest } = schema;
  if (rule === undefined && fallback === undefined) return schema;
  return {
    ...rest,
    ...(rule !== undefined && RULE_SCHEMAS[rule as RuleName]),
    ...(fallback !== undefined && { default: fallback }),
  };
};

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
 * Named schemas (a `title`) become components, referenced by `$ref`: one
 * User per surface, the error envelopes, pagination. Two different schemas
 * with one title would be a bug in the schemas, and fails the document.
 */
function hoistNamedSchemas(doc: Json): void {
  const components = ((doc.components as Json).schemas ??= {}) as Json;
  const seen = new Map<string, string>();
  const hoist = (schema: Json) => {
    const name = schema.title;
    if (typeof name !== 'string') return schema;
    const text = JSON.stringify(schema);
    const previous = seen.get(name);
    if (previous !== undefined && previous !== text)
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    seen.set(name, text);
    components[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  };
  doc.paths = rewrite(doc.paths, hoist);
  // In name order: the document (and the SDK types generated from it) does not change when routes move.
  (doc.components as Json).schemas = Object.fromEntries(
    Object.entries(components).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * What every operation can answer beyond its own route schema, added to the
 * document: 413 and 415 wherever a JSON body is taken, 429 wherever requests
 * are counted, 503 on password checks, and the response headers (request id,
 * rate-limit headers, Retry-After). The error body is the operation's own
 * error envelope (copied from its other errors).
 */
function completeOperation(path: string, method: string, operation: Operation): void {
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
  const limited = !UNLIMITED.has(path);
  if (limited) add('429', 'A rate limit (or the account lockout) refuses the request; see Retry-After');
  if (takesPassword(operation.requestBody))
    add('503', 'Too many password checks are waiting: retry after Retry-After seconds');
  const parameters = (operation.parameters ??= []);
  if (VERSIONED.test(path) && method !== 'get') {
    parameters.push(IF_MATCH);
    add('412', 'If-Match names no current version of the user: someone changed it since your read');
  }
  if (operation['x-idempotent']) {
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
  delete operation['x-idempotent'];
  if (parameters.length === 0) delete operation.parameters;
  if (path === '/pictures/{id}') {
    responses['200'] = {
      description: 'The picture, as stored (checked by its content)',
      content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
    };
    add('400', 'A malformed picture id');
    add('404', 'No such picture (deleted or replaced ones are gone at once)');
  }
  if (VERSIONED.test(path) && responses['200']) responses['200'].headers = { ...ETAG, ...responses['200'].headers };
  for (const [code, response] of Object.entries(responses)) {
    if (response.description === 'Default Response' && STATUS_TEXT[code]) response.description = STATUS_TEXT[code];
    response.headers = {
      ...REQUEST_ID,
      ...(limited && RATE_LIMIT),
      ...((code === '429' || code === '503') && RETRY_AFTER),
      ...response.headers,
    };
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
        description: [
          'Self-hostable user management: four API surfaces over one core, so a user made through one exists through all of them.',
          'Every surface refuses unknown query parameters and unknown body fields with 400, in its own error envelope.',
          "String fields carry the constraints the server checks; where a rule cannot be said as a constraint (a real calendar date, a phone number's groups), the description says it and the server's 400 names the field.",
        ].join('\n\n'),
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Usher maintainers' },
      },
      tags: [
        {
          name: 'api/v1',
          description:
            'The full API under /api/v1: users, tokens, sessions, second factor, API keys, audit log. Bearer token or X-API-Key.',
        },
        {
          name: 'v1 (API key)',
          description: 'Service-to-service API under /v1: every call carries X-API-Key; limit/offset or cursor lists.',
        },
        { name: 'profiles', description: 'Profiles under /api/users/profiles: a user and their preferences.' },
        {
          name: 'account',
          description:
            "The account API (Django REST shape) under /api: register, log in, one's own profile, password change. Paths answer with and without the trailing slash.",
        },
        { name: 'system', description: 'Probes, this document and stored pictures.' },
      ],
      servers: [
        {
          url: config.publicUrl ?? '/',
          description: config.publicUrl ? 'This deployment' : 'The server this document came from',
        },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          token: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'Token <access token> (account API)',
          },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
        headers: HEADERS,
      },
    },
    transform: ({ schema, url, route }) => {
      const s = { ...(schema as Schema) };
      s.operationId ??= operationIdOf(String(route.method), url);
      // An operation that declares no credential is public: said explicitly, as `security: []`.
      s.security ??= [];
      if (route.config?.idempotent) s['x-idempotent'] = true;
      if (s.body && !(Array.isArray(s.body.required) && s.body.required.length > 0)) s['x-body-optional'] = true;
      return { schema: s as never, url };
    },
    transformObject: (documents) => {
      const doc = ('openapiObject' in documents ? documents.openapiObject : documents.swaggerObject) as Json;
      doc.paths = rewrite(doc.paths, withRule);
      const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
      for (const [path, item] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (operation['x-body-optional'] && operation.requestBody) operation.requestBody.required = false;
          delete operation['x-body-optional'];
          completeOperation(path, method, operation);
        }
      }
      // The account API answers with and without the trailing slash: both are documented.
      for (const [path, item] of Object.entries(paths)) {
        if (
          !path.startsWith('/api/') ||
          !path.endsWith('/') ||
          path.startsWith('/api/v1/') ||
          path.startsWith('/api/users/')
        )
          continue;
        const bare = path.slice(0, -1);
        if (paths[bare]) continue;
        paths[bare] = Object.fromEntries(
          Object.entries(item).map(([method, op]) => [method, { ...op, operationId: `${op.operationId}NoSlash` }]),
        );
      }
      hoistNamedSchemas(doc);
      return doc;
    },
  });
}
