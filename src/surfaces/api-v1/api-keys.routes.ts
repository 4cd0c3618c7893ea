import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../core/api-keys/api-key.repository.js';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { Nullable, RoleSchema, Timestamp } from '../shared/schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const tags = ['api/v1'];
const security = BEARER_OR_KEY;

const ApiKeyV1 = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it; never the whole key' }),
  role: RoleSchema,
  created_by: Type.String(),
  created_at: Timestamp,
  expires_at: Nullable(Timestamp),
  revoked_at: Nullable(Timestamp),
  last_used_at: Nullable(Timestamp),
});
const CreatedApiKey = Type.Intersect([ApiKeyV1, Type.Object({ key: Type.String({ description: 'The secret, shown only in this response' }) })]);
const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ description: '1-100 characters' }),
    role: Type.Optional(RoleSchema),
    expires_at: Type.Optional(Type.String({ description: 'ISO 8601 date-time in the future' })),
  },
  { additionalProperties: false },
);

const apiKeyV1 = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  created_by: k.createdBy,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
  last_used_at: k.lastUsedAt,
});

/** Admin management of API keys, the machine credential `X-API-Key` carries on every surface. */
export function apiKeysRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api-keys',
    {
      schema: {
        tags,
        security,
        summary: 'Create an API key (admins). The key acts with `role` (default: the creator\'s), never above its creator.',
        body: CreateApiKeyBody,
        response: { 201: Envelope(CreatedApiKey), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { key, secret } = await core.apiKeys.create(requirePrincipal(request), { name: b.name, role: b.role, expiresAt: b.expires_at });
      return reply.code(201).send(envelope({ ...apiKeyV1(key), key: secret }));
    },
  );

  r.get(
    '/api-keys',
    { schema: { tags, security, summary: 'List API keys (admins); secrets are never shown again', response: { 200: Envelope(Type.Array(ApiKeyV1)), ...errors(401, 403, 429) } } },
    async (request) => envelope((await core.apiKeys.list(requirePrincipal(request))).map(apiKeyV1)),
  );

  r.delete(
    '/api-keys/:id',
    {
      schema: {
        tags,
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
