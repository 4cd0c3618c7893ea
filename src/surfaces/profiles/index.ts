import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { User } from '../../core/types.js';
import { useErrorEnvelope } from '../../http/errors.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import { PlainError, plainError } from '../shared/errors.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { CurrentPassword, PreferencesInput, PreferencesSchema, Timestamp } from '../shared/schemas.js';

/** /api/users/profiles: profiles-api.md over the core. Register with prefix '/api/users/profiles'. */

const ProfileSchema = Type.Object({
  id: Type.String(),
  user_id: Type.String({ description: 'The same as id: a profile is its user' }),
  username: Type.String(),
  email: Type.String(),
  preferences: PreferencesSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
});

const CreateBody = Type.Object(
  { username: Type.String(), email: Type.String(), preferences: Type.Optional(PreferencesInput) },
  { additionalProperties: false, description: 'Creates a user without a password (admins); it cannot log in until one is set.' },
);
const UpdateBody = Type.Object(
  { email: Type.Optional(Type.String()), preferences: Type.Optional(PreferencesInput), current_password: Type.Optional(CurrentPassword) },
  { additionalProperties: false, description: 'Changes only the given fields (and only the given preference keys).' },
);
const Params = Type.Object({ user_id: Type.String() });

const profile = (u: User): Static<typeof ProfileSchema> => ({
  id: u.id,
  user_id: u.id,
  username: u.username,
  email: u.email,
  preferences: u.preferences,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

const tags = ['profiles'];
const errors = (...codes: number[]) => errorResponses(PlainError, ...codes);

export async function profilesApi(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { core } = opts;
  useErrorEnvelope(app, plainError);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/',
    { schema: { tags, security: BEARER_OR_KEY, summary: 'Create a user profile', body: CreateBody, response: { 201: ProfileSchema, ...errors(400, 401, 403, 409, 429) } } },
    async (request, reply) => {
      const b = request.body;
      const user = await core.users.create(requirePrincipal(request), { username: b.username, email: b.email, theme: b.preferences?.theme, notifications: b.preferences?.notifications }, { client: clientOf(request) });
      return reply.code(201).send(profile(user));
    },
  );

  r.get(
    '/:user_id',
    { schema: { tags, security: BEARER_OR_KEY, summary: 'Retrieve a user profile', params: Params, response: { 200: ProfileSchema, ...errors(401, 403, 404, 429) } } },
    async (request) => profile(await core.users.get(requirePrincipal(request), request.params.user_id)),
  );

  r.put(
    '/:user_id',
    {
      config: { rateLimit: 'password' },
      schema: { tags, security: BEARER_OR_KEY, summary: 'Update a user profile', params: Params, body: UpdateBody, response: { 200: ProfileSchema, ...errors(400, 401, 403, 404, 409, 429) } },
    },
    async (request) => {
      const b = request.body;
      const user = await core.users.update(requirePrincipal(request), request.params.user_id, {
        email: b.email,
        theme: b.preferences?.theme,
        notifications: b.preferences?.notifications,
        currentPassword: b.current_password,
      });
      return profile(user);
    },
  );

  r.delete(
    '/:user_id',
    { schema: { tags, security: BEARER_OR_KEY, summary: 'Delete a user profile (soft delete)', params: Params, response: { 204: Type.Null(), ...errors(401, 403, 404, 429) } } },
    async (request, reply) => {
      await core.users.remove(requirePrincipal(request), request.params.user_id);
      return reply.code(204).send(null);
    },
  );
}
