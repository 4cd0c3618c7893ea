import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { UserSchemaView } from '../../core/custom-data/user-schema.service.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { Nullable, Timestamp } from '../shared/schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { AnyObject } from './users.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

const JsonSchema = AnyObject(
  'A JSON Schema (draft 2020-12) for custom_data: `type: "object"` at the top, at most 64 KiB, only local $ref; a top-level property with `"x-user-editable": true` may be changed by the user themselves',
);

export const UserSchemaV1 = Type.Object(
  {
    schema: Nullable(JsonSchema),
    version: Nullable(Type.String({ description: 'Changes with every PUT' })),
    updated_at: Nullable(Timestamp),
  },
  { title: 'ApiV1UserSchema' },
);

const PutUserSchemaBody = Type.Object(
  { schema: Nullable(JsonSchema) },
  { additionalProperties: false, title: 'ApiV1PutUserSchema', description: 'null removes the schema' },
);

const PutQuery = Type.Object({
  force: Type.Optional(
    Type.Boolean({ description: 'Store the schema even though existing users’ custom_data breaks it' }),
  ),
});

const userSchemaV1 = (v: UserSchemaView) => ({ schema: v.schema, version: v.version, updated_at: v.updatedAt });

/** The user schema: the JSON Schema every user's custom_data must match (moderators read, admins set). */
export function userSchemaRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/user-schema',
    {
      schema: {
        security,
        summary: "The JSON Schema users' custom_data must match (moderators and admins); null when none is set",
        response: { 200: Envelope(UserSchemaV1), ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope(userSchemaV1(await core.userSchema.get(requirePrincipal(request)))),
  );

  r.put(
    '/user-schema',
    {
      schema: {
        security,
        summary:
          "Set the user schema (admins). Every live user's custom_data is checked first: 422 naming the first ten users it breaks, unless ?force=true",
        querystring: PutQuery,
        body: PutUserSchemaBody,
        response: { 200: Envelope(UserSchemaV1), ...errors(400, 401, 403, 413, 415, 422, 429) },
      },
    },
    async (request) =>
      envelope(
        userSchemaV1(
          await core.userSchema.put(requirePrincipal(request), request.body.schema, {
            force: request.query.force === true,
          }),
        ),
      ),
  );
}
