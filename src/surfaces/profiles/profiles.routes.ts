import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import { PlainError } from '../shared/errors.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { ifMatchOf, withEtag } from '../shared/etag.js';
import { profile } from './presenter.js';
import { CreateBody, Params, ProfileSchema, UpdateBody } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(PlainError, ...codes);

export function profilesRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/',
    {
      config: { idempotent: true },
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Create a user profile',
        body: CreateBody,
        response: { 201: ProfileSchema, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await core.users.create(
        requirePrincipal(request),
        {
          username: b.username,
          email: b.email,
          theme: b.preferences?.theme,
          notifications: b.preferences?.notifications,
        },
        { client: clientOf(request) },
      );
      return reply.code(201).send(profile(user));
    },
  );

  r.get(
    '/:user_id',
    {
      config: { versioned: true },
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Retrieve a user profile',
        params: Params,
        response: { 200: ProfileSchema, ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const user = await core.users.get(requirePrincipal(request), request.params.user_id);
      return withEtag(reply, user, profile(user));
    },
  );

  r.put(
    '/:user_id',
    {
      config: { versioned: true, rateLimit: 'password' },
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Update a user profile',
        params: Params,
        body: UpdateBody,
        response: { 200: ProfileSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await core.users.update(
        requirePrincipal(request),
        request.params.user_id,
        {
          email: b.email,
          theme: b.preferences?.theme,
          notifications: b.preferences?.notifications,
          currentPassword: b.current_password,
        },
        ifMatchOf(request),
      );
      return withEtag(reply, user, profile(user));
    },
  );

  r.delete(
    '/:user_id',
    {
      config: { versioned: true },
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Delete a user profile (soft delete)',
        params: Params,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.users.remove(requirePrincipal(request), request.params.user_id, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );
}
