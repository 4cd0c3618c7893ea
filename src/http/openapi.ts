import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { HEADERS, hoistNamedSchemas, type Json, rewrite, withRule } from './openapi-components.js';
import { completeOperation, type Operation } from './openapi-statuses.js';
import { webhooksDocument } from './openapi-webhooks.js';
import type { Surface } from './surface.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads or writes one user at a version (surfaces/shared/etag.ts): its 200 carries ETag, and a write
     * takes If-Match and may answer 412. Only the document reads it.
     */
    versioned?: boolean;
  }
}

type Schema = Record<string, unknown> & { body?: { required?: unknown[] }; operationId?: string };

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
export async function openApi(app: FastifyInstance, config: Config, surfaces: readonly Surface[]): Promise<void> {
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
        ...surfaces.flatMap(({ tag }) => (tag.description ? [{ name: tag.name, description: tag.description }] : [])),
        { name: 'system', description: 'Probes, this document and stored pictures.' },
        { name: 'webhooks', description: 'Events Usher posts to webhook endpoints, signed (Standard Webhooks 1.0).' },
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
      // What the route's flags mean for the document; completeOperation reads these marks and removes them.
      if (route.config?.idempotent) s['x-idempotent'] = true;
      if (route.config?.versioned) s['x-versioned'] = true;
      if (route.config?.rateLimit === false) s['x-unlimited'] = true;
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
      // Every route answers with and without a trailing slash (the app's ignoreTrailingSlash); the paths declared with
      // one (the account API's) are documented both ways.
      for (const [path, item] of Object.entries(paths)) {
        const bare = path.slice(0, -1);
        if (!path.endsWith('/') || bare === '' || paths[bare]) continue;
        paths[bare] = Object.fromEntries(
          Object.entries(item).map(([method, op]) => [method, { ...op, operationId: `${op.operationId}NoSlash` }]),
        );
      }
      doc.webhooks = rewrite(JSON.parse(JSON.stringify(webhooksDocument())), withRule);
      hoistNamedSchemas(doc);
      return doc;
    },
  });
}
