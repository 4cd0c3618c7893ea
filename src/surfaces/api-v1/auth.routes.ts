import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import { errorResponses } from '../shared/responses.js';
import { envelope, tokensV1 } from './presenter.js';
import { Type } from '@sinclair/typebox';
import { MfaRequired, mfaRequired } from '../shared/schemas.js';
import { LoginV1Body, LogoutBody, RefreshBody, TokenResponse } from './auth.schemas.js';
import { ErrorV1, MessageV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);

export function authRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/login',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary:
          'Log in with username or email and password (with a second factor on: an MFA challenge instead of tokens)',
        body: LoginV1Body,
        response: { 200: Type.Union([TokenResponse, MfaRequired]), ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const { organization_id: organizationId, ...credentials } = request.body;
      const result = await core.auth.login({ ...credentials, organizationId }, clientOf(request));
      return result.mfa ? mfaRequired(result.mfa) : tokensV1(result.tokens);
    },
  );

  r.post(
    '/auth/refresh',
    {
      schema: {
        summary:
          "Exchange a refresh token for new tokens (rotates the refresh token); organization_id switches the session's organization",
        body: RefreshBody,
        response: { 200: TokenResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) =>
      tokensV1(await core.auth.refresh(request.body.refresh_token, clientOf(request), request.body.organization_id)),
  );

  r.post(
    '/auth/logout',
    {
      schema: {
        // The bearer token, or no credential at all with the refresh token in the body.
        security: [{ bearer: [] }, {}],
        summary: 'End the session: its access and refresh tokens are refused from now on',
        body: LogoutBody,
        response: { 200: MessageV1, ...errors(400, 401, 422, 429) },
      },
    },
    async (request) => {
      const refreshToken = request.body.refresh_token;
      // With a refresh token, logout works even after the access token expired.
      if (!request.principal && refreshToken !== undefined)
        await core.auth.logoutByRefreshToken(refreshToken, clientOf(request));
      else await core.auth.logout(requirePrincipal(request));
      return envelope({ message: 'Logout successful' });
    },
  );
}
