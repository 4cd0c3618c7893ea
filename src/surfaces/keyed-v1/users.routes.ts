import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import type { PictureUrl } from '../shared/links.js';
import { errorResponses } from '../shared/responses.js';
import { ifMatchOf, withEtag } from '../shared/etag.js';
import { IdParams } from '../shared/schemas.js';
import { changesFromKeyed, userDetail, userSummary } from './presenter.js';
import { CreateBody, Deleted, ErrorKeyed, ListQuery, UpdateBody, UserDetail, UserList } from './schemas.js';

const security: Array<Record<string, string[]>> = [{ apiKey: [] }];
const errors = (...codes: number[]) => errorResponses(ErrorKeyed, ...codes);

export function usersRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/users',
    {
      schema: {
        security,
        summary: 'List users (`search` is an extension of the spec: the same match as /api/v1)',
        querystring: ListQuery,
        response: { 200: UserList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { offset, status, role, search, cursor } = request.query;
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const { users, total, nextCursor } = await core.users.list(requirePrincipal(request), {
        status,
        role,
        search,
        sort: 'created_at',
        order: 'desc',
        limit,
        offset,
        cursor,
      });
      return { users: users.map(userSummary), total, limit, offset: offset ?? 0, next_cursor: nextCursor };
    },
  );

  r.post(
    '/users',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary: 'Create a user (pending unless `status` is given)',
        body: CreateBody,
        response: { 201: UserDetail, ...errors(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await core.users.create(
        requirePrincipal(request),
        {
          username: b.username,
          email: b.email,
          password: b.password,
          role: b.role,
          status: b.status,
          firstName: b.profile?.first_name,
          lastName: b.profile?.last_name,
          phoneNumber: b.profile?.phone,
        },
        { defaultStatus: 'pending', client: clientOf(request) },
      );
      return reply.code(201).send(userDetail(user, pictureUrl));
    },
  );

  r.get(
    '/users/:id',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: 'Get a user',
        params: IdParams,
        response: { 200: UserDetail, ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const user = await core.users.get(requirePrincipal(request), request.params.id);
      return withEtag(reply, user, userDetail(user, pictureUrl));
    },
  );

  r.put(
    '/users/:id',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: 'Update email, status, role and profile',
        params: IdParams,
        body: UpdateBody,
        response: { 200: UserDetail, ...errors(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const user = await core.users.update(
        requirePrincipal(request),
        request.params.id,
        changesFromKeyed(request.body),
        ifMatchOf(request),
      );
      return withEtag(reply, user, userDetail(user, pictureUrl));
    },
  );

  r.delete(
    '/users/:id',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: 'Delete a user (soft delete; 403 for admins)',
        params: IdParams,
        response: { 200: Deleted, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { deletedAt } = await core.users.remove(requirePrincipal(request), request.params.id, ifMatchOf(request));
      return { message: 'User deleted successfully', deleted_at: deletedAt };
    },
  );
}
