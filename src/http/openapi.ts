import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

type Schema = Record<string, unknown> & { body?: { required?: unknown[] }; operationId?: string };
type Operation = { requestBody?: { required?: boolean }; 'x-body-optional'?: boolean };

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
      for (const item of Object.values((doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {})) {
        for (const operation of Object.values(item)) {
          if (operation['x-body-optional'] && operation.requestBody) operation.requestBody.required = false;
          delete operation['x-body-optional'];
        }
      }
      return doc;
    },
  });
}
