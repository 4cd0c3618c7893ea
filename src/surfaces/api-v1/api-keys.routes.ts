import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { apiKeyV1, envelope } from './presenter.js';
import { ApiKeyV1, CreateApiKeyBody, CreatedApiKey } from './api-keys.schemas.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** Admin management of API keys, the machine credential `X-API-Key` carries on every surface. */
export function apiKeysRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api-keys',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary:
          "Create an API key (admins). The key acts with `role` (default: the creator's), never above its creator.",
        body: CreateApiKeyBody,
        response: { 201: Envelope(CreatedApiKey), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { key, secret } = await core.apiKeys.create(requirePrincipal(request), {
        name: b.name,
        role: b.role,
        expiresAt: b.expires_at,
      });
      return reply.code(201).send(envelope({ ...apiKeyV1(key), key: secret }));
    },
  );

  r.get(
    '/api-keys',
    {
      schema: {
        security,
        summary: 'List API keys (admins); secrets are never shown again',
        response: { 200: Envelope(Type.Array(ApiKeyV1)), ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await core.apiKeys.list(requirePrincipal(request))).map(apiKeyV1)),
  );

  r.delete(
    '/api-keys/:id',
    {
      schema: {
        security,
        summary: 'Revoke an API key (admins); it is refused from this moment',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.apiKeys.revoke(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
