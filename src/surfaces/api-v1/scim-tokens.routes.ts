import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { ScimToken } from '../../core/storage.js';
import { ShownOnce } from '../../http/idempotency.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { Nullable, Timestamp } from '../shared/schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

export const ScimTokenV1 = Type.Object(
  {
    id: Type.String(),
    organization_id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    prefix: Type.String({ description: 'The first characters of the token, to recognise it; never the whole token' }),
    created_by: Nullable(Type.String()),
    created_at: Timestamp,
    last_used_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
  },
  { title: 'ApiV1ScimToken' },
);

const CreatedScimToken = Type.Intersect([
  ScimTokenV1,
  Type.Object({ token: ShownOnce('The secret, the bearer token the directory sends to /scim/v2') }),
]);

const CreateScimTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: '1-100 printable characters' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const OrgParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const scimTokenV1 = (t: ScimToken) => ({
  id: t.id,
  organization_id: t.organizationId,
  name: t.name,
  description: t.description,
  prefix: t.prefix,
  created_by: t.createdBy,
  created_at: t.createdAt,
  last_used_at: t.lastUsedAt,
  revoked_at: t.revokedAt,
});

/** The bearer tokens an organization's directory provisions it with over /scim/v2 (admins make and revoke). */
export function scimTokensRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/organizations/:id/scim-tokens',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary: 'Create a SCIM token for the organization (admins); the token is shown once',
        params: OrgParams,
        body: CreateScimTokenBody,
        response: { 201: Envelope(CreatedScimToken), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { token, secret } = await core.scim.tokens.create(
        requirePrincipal(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(envelope({ ...scimTokenV1(token), token: secret }));
    },
  );

  r.get(
    '/organizations/:id/scim-tokens',
    {
      schema: {
        security,
        summary: "List the organization's SCIM tokens (admins and moderators); secrets are never shown again",
        params: OrgParams,
        response: { 200: Envelope(Type.Array(ScimTokenV1)), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope((await core.scim.tokens.list(requirePrincipal(request), request.params.id)).map(scimTokenV1)),
  );

  r.delete(
    '/organizations/:id/scim-tokens/:token_id',
    {
      schema: {
        security,
        summary: 'Revoke a SCIM token (admins); it is refused from this moment',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), token_id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.scim.tokens.revoke(requirePrincipal(request), request.params.id, request.params.token_id);
      return reply.code(204).send(null);
    },
  );
}
