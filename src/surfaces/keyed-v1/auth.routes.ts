import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { unauthenticated } from '../../core/errors.js';
import { clientOf, credentialsOf } from '../../http/principal.js';
import { errorResponses } from '../shared/responses.js';
import { Type } from '@sinclair/typebox';
import { LoginBody, MfaRequired, mfaRequired } from '../shared/schemas.js';
import { loginKeyed } from './presenter.js';
import { ErrorKeyed, LoginResponse, Message } from './schemas.js';

const security: Array<Record<string, string[]>> = [{ apiKey: [] }];
const errors = (...codes: number[]) => errorResponses(ErrorKeyed, ...codes);

/** Logging users in and out on behalf of the application the API key stands for. */
export function authRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/login',
    {
      config: { rateLimit: 'login' },
      schema: {
        security,
        summary: 'Log a user in (the API key identifies the calling application)',
        body: LoginBody,
        response: { 200: Type.Union([LoginResponse, MfaRequired]), ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) => {
      const result = await core.auth.login(request.body, clientOf(request));
      return result.mfa ? mfaRequired(result.mfa) : loginKeyed(result.tokens, result.user);
    },
  );

  r.post(
    '/auth/logout',
    {
      schema: {
        security: [{ apiKey: [], bearer: [] }],
        summary: 'End the session of the bearer token sent alongside the API key',
        response: { 200: Message, ...errors(401, 429) },
      },
    },
    async (request) => {
      // X-API-Key is the principal here; the session to end is the bearer token's.
      const { token } = credentialsOf(request);
      if (!token) throw unauthenticated('Authorization: Bearer <access_token> is required');
      await core.auth.logout(await core.auth.authenticateToken(token));
      return { message: 'Logout successful' };
    },
  );
}
