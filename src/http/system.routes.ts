import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.js';
import { notFound } from '../core/errors.js';
import type { Database } from '../db/database.js';

/** Operational routes outside every API surface: probes, the OpenAPI document, stored pictures. */
export function systemRoutes(app: FastifyInstance, database: Database, core: Core): void {
  const probe = { rateLimit: false as const };
  const Status = Type.Object({ status: Type.String() });

  app.get(
    '/health',
    { config: probe, schema: { tags: ['system'], summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      config: probe,
      schema: {
        tags: ['system'],
        summary: 'Readiness: 200 only when the database answers',
        response: { 200: Status, 503: Status },
      },
    },
    async (request, reply) => {
      try {
        await database.ping();
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ reqId: request.id, err: error }, 'database not answering');
        return reply.code(503).send({ status: 'database unavailable' });
      }
    },
  );

  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['system'],
        summary: 'This OpenAPI 3.1 document',
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'The OpenAPI document' }) },
      },
    },
    async () => app.swagger(),
  );

  app.get(
    '/pictures/:id',
    {
      schema: {
        tags: ['system'],
        summary: 'A stored profile picture (its URL is unguessable and changes with every upload)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const picture = await core.users.picture(id);
      if (!picture) throw notFound('Picture');
      return (
        reply
          .type(picture.contentType)
          // Short-lived in caches: a deleted or replaced picture answers 404 here at once, and is gone from caches
          // within 5 minutes.
          .header('cache-control', 'public, max-age=300')
          .header('cross-origin-resource-policy', 'cross-origin')
          .removeHeader('pragma')
          .send(picture.data)
      );
    },
  );
}
