import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { DEFAULT_SORT } from '../../core/users/user.list.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import type { PictureUrl } from '../shared/links.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { ifMatchOf, withEtag } from '../shared/etag.js';
import { IdParams } from '../shared/schemas.js';
import { changesFromV1, envelope, userV1 } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { linkedIdentityV1 } from './upstream.presenter.js';
import { UserWithIdentitiesV1 } from './identity-providers.schemas.js';
import { CreateUserBody, ListQueryV1, PatchUserBody, ReplaceUserBody, UserListV1, UserV1 } from './users.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

export function usersRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const present = (u: Parameters<typeof userV1>[0]) => envelope(userV1(u, pictureUrl));

  r.post(
    '/users',
    {
      config: { rateLimit: 'register', idempotent: true },
      schema: {
        // Public registration; an admin's or moderator's credential lets the same call set role and status.
        security: [{}, ...security],
        summary: 'Create a user (public registration; admins and moderators may also set role/status)',
        body: CreateUserBody,
        response: { 201: Envelope(UserV1), ...errors(400, 403, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await core.users.create(
        request.principal,
        {
          ...changesFromV1(b),
          username: b.username,
          email: b.email,
          password: b.password,
          customData: b.custom_data,
        },
        { client: clientOf(request) },
      );
      return reply.code(201).send(present(user));
    },
  );

  r.get(
    '/users',
    {
      schema: {
        security,
        summary: 'List users (moderators and admins)',
        querystring: ListQueryV1,
        response: { 200: UserListV1, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const q = { ...request.query, limit: request.query.limit ?? LIMITS.pageSizeDefault };
      const page = q.page ?? 1;
      const { users, total, nextCursor } = await core.users.list(requirePrincipal(request), {
        status: q.status,
        role: q.role,
        search: q.search,
        sort: q.sort ?? DEFAULT_SORT.sort,
        order: q.order ?? DEFAULT_SORT.order,
        limit: q.limit,
        offset: q.page === undefined ? undefined : (q.page - 1) * q.limit,
        cursor: q.cursor,
        externalId: q.external_id,
      });
      const pages = Math.ceil(total / q.limit);
      const byCursor = q.cursor !== undefined;
      return {
        ...envelope(users.map((u) => userV1(u, pictureUrl))),
        pagination: {
          page: byCursor ? null : page,
          limit: q.limit,
          total,
          pages,
          has_next: nextCursor !== null,
          has_prev: byCursor || page > 1,
          next_cursor: nextCursor,
        },
      };
    },
  );

  r.get(
    '/users/:id',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: "Get a user (for admins with the user's linked identities)",
        params: IdParams,
        response: { 200: Envelope(UserWithIdentitiesV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const user = await core.users.get(principal, request.params.id);
      if (principal.role !== 'admin') return withEtag(reply, user, present(user));
      const identities = (await core.upstream.identitiesOf(user.id)).map(linkedIdentityV1);
      return withEtag(reply, user, envelope({ ...userV1(user, pictureUrl), identities }));
    },
  );

  r.put(
    '/users/:id',
    {
      config: { versioned: true, rateLimit: 'password' },
      schema: {
        security,
        summary: 'Replace a user (omitted optional profile fields are cleared)',
        params: IdParams,
        body: ReplaceUserBody,
        response: { 200: Envelope(UserV1), ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      // PUT replaces the spec's PUT fields: an omitted optional one is cleared.
      const replaced = {
        first_name: b.first_name ?? null,
        last_name: b.last_name ?? null,
        phone_number: b.phone_number ?? null,
        date_of_birth: b.date_of_birth ?? null,
        bio: b.bio ?? null,
      };
      const user = await core.users.update(
        requirePrincipal(request),
        request.params.id,
        changesFromV1({ ...b, ...replaced }, 'replace'),
        ifMatchOf(request),
      );
      return withEtag(reply, user, present(user));
    },
  );

  r.patch(
    '/users/:id',
    {
      config: { versioned: true, rateLimit: 'password' },
      schema: {
        security,
        summary: 'Update some fields of a user',
        params: IdParams,
        body: PatchUserBody,
        response: { 200: Envelope(UserV1), ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const user = await core.users.update(
        requirePrincipal(request),
        request.params.id,
        changesFromV1(request.body),
        ifMatchOf(request),
      );
      return withEtag(reply, user, present(user));
    },
  );

  r.delete(
    '/users/:id',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: 'Delete a user (soft delete; admins cannot be deleted)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.users.remove(requirePrincipal(request), request.params.id, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/users/:id/restore',
    {
      schema: {
        security,
        summary: 'Bring a soft-deleted user back, active (admins); its old sessions stay ended',
        params: IdParams,
        response: { 200: Envelope(UserV1), ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request) => present(await core.users.restore(requirePrincipal(request), request.params.id)),
  );
}
