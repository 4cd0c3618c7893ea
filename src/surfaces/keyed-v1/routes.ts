import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { unauthenticated } from '../../core/errors.js';
import { clientOf, credentialOf, requirePrincipal } from '../../http/principal.js';
import type { PictureUrl } from '../shared/links.js';
import { errorResponses } from '../shared/responses.js';
import { IdParams, LoginBody } from '../shared/schemas.js';
import { changesFromKeyed, userDetail, userSummary } from './presenter.js';
import { CreateBody, Deleted, ErrorKeyed, ListQuery, LoginResponse, Message, UpdateBody, UserDetail, UserList } from './schemas.js';

const tags = ['v1 (API key)'];
const security: Array<Record<string, string[]>> = [{ apiKey: [] }];
const errors = (...codes: number[]) => errorResponses(ErrorKeyed, ...codes);

export function keyedRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/users',
    { schema: { tags, security, summary: 'List users', querystring: ListQuery, response: { 200: UserList, ...errors(400, 401, 403, 429) } } },
    async (request) => {
      const { limit, offset, status, role, cursor } = request.query;
      const { users, total, nextCursor } = await core.users.list(requirePrincipal(request), { status, role, sort: 'created_at', order: 'desc', limit, offset, cursor });
      return { users: users.map(userSummary), total, limit, offset, next_cursor: nextCursor };
    },
  );

  r.post(
    '/users',
    {
      schema: {
        tags,
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
        { username: b.username, email: b.email, password: b.password, role: b.role, status: b.status, firstName: b.profile?.first_name, lastName: b.profile?.last_name, phoneNumber: b.profile?.phone },
        { defaultStatus: 'pending', client: clientOf(request) },
      );
      return reply.code(201).send(userDetail(user, pictureUrl));
    },
  );

  r.get(
    '/users/:id',
    { schema: { tags, security, summary: 'Get a user', params: IdParams, response: { 200: UserDetail, ...errors(401, 403, 404, 429) } } },
    async (request) => userDetail(await core.users.get(requirePrincipal(request), request.params.id), pictureUrl),
  );

  r.put(
    '/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update email, status, role and profile',
        params: IdParams,
        body: UpdateBody,
        response: { 200: UserDetail, ...errors(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request) => userDetail(await core.users.update(requirePrincipal(request), request.params.id, changesFromKeyed(request.body)), pictureUrl),
  );

  r.delete(
    '/users/:id',
    { schema: { tags, security, summary: 'Delete a user (soft delete; 403 for admins)', params: IdParams, response: { 200: Deleted, ...errors(401, 403, 404, 429) } } },
    async (request) => {
      const { deletedAt } = await core.users.remove(requirePrincipal(request), request.params.id);
      return { message: 'User deleted successfully', deleted_at: deletedAt };
    },
  );

  r.post(
    '/auth/login',
    {
      config: { rateLimit: 'login' },
      schema: { tags, security, summary: 'Log a user in (the API key identifies the calling application)', body: LoginBody, response: { 200: LoginResponse, ...errors(400, 401, 422, 429) } },
    },
    async (request) => {
      const t = await core.auth.login(request.body, clientOf(request));
      return {
        access_token: t.accessToken,
        token_type: 'bearer' as const,
        expires_in: t.expiresIn,
        refresh_token: t.refreshToken,
        user: { id: t.user.id, username: t.user.username, role: t.user.role },
      };
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { rateLimit: 'login' },
      schema: {
        tags,
        security: [{ apiKey: [], bearer: [] }],
        summary: 'End the session of the bearer token sent alongside the API key',
        response: { 200: Message, ...errors(401, 429) },
      },
    },
    async (request) => {
      // X-API-Key is the principal here; the session to end is the bearer token's.
      const header = request.headers.authorization;
      const token = header && /^bearer /i.test(header) ? header.slice(7).trim() : '';
      if (!token) throw unauthenticated('Authorization: Bearer <access_token> is required');
      await core.auth.logout(await core.auth.authenticateToken(token));
      return { message: 'Logout successful' };
    },
  );
}

/** Every /v1 endpoint needs a valid X-API-Key, whatever else the request carries. */
export function requireApiKey(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.principal?.apiKeyId) return;
    if (credentialOf(request)?.kind === 'api_key') throw request.authError ?? unauthenticated('Invalid API key');
    throw unauthenticated('X-API-Key header is required');
  });
}
