import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/**
 * In this surface, a query parameter a route does not take is refused (400
 * VALIDATION_ERROR naming it) rather than ignored: a mistyped filter must not
 * silently answer with everything. Routes without a query schema get an empty one.
 */
export function refuseUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.schema ??= {};
    const query = route.schema.querystring as { type?: string; additionalProperties?: boolean } | undefined;
    if (!query) route.schema.querystring = Type.Object({}, { additionalProperties: false });
    else if (query.type === 'object') route.schema.querystring = { ...query, additionalProperties: false };
  });
}
