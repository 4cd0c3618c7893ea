import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { envelope } from './presenter.js';
import { ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);

const Consent = Type.Object(
  {
    application_id: Type.String({ format: 'uuid' }),
    application_name: Type.String(),
    client_id: Type.String(),
    scopes: Type.Array(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'ConsentV1', additionalProperties: false },
);

/** The consents you gave third-party applications at the hosted consent page; withdrawing one ends its tokens. */
export function consentsRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/auth/consents',
    {
      schema: {
        security: BEARER_OR_KEY,
        summary: 'The applications you allowed to use your account, with the scopes you allowed',
        response: { 200: Type.Object({ data: Type.Array(Consent) }), ...errors(401, 429) },
      },
    },
    async (request) => {
      const consents = await core.identity.consents(requirePrincipal(request));
      return envelope(
        consents.map((c) => ({
          application_id: c.applicationId,
          application_name: c.applicationName,
          client_id: c.clientId,
          scopes: c.scopes,
          created_at: c.createdAt,
          updated_at: c.updatedAt,
        })),
      );
    },
  );

  r.delete(
    '/auth/consents/:application_id',
    {
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Withdraw a consent: the application asks again next time, and every token it holds for you ends',
        params: Type.Object({ application_id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors(401, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.identity.revokeConsent(requirePrincipal(request), request.params.application_id);
      return reply.code(204).send(null);
    },
  );
}
