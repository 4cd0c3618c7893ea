import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { errorResponses } from '../shared/responses.js';
import { MfaRequired, mfaRequired } from '../shared/schemas.js';
import { EmailBody, TokenResponse, VerifyEmailBody } from './auth.schemas.js';
import { envelope, tokensV1 } from './presenter.js';
import { ErrorV1, MessageV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);

/**
 * Sign-in with a mailed code (USHER_EMAIL_SIGN_IN=on; off, these routes do not exist and answer 404). The request
 * answers 202 whether or not the address is known, and past its mail limit; the sign-in answers as POST /auth/login.
 */
export function emailSignInRoutes(app: FastifyInstance, core: Core): void {
  if (!core.emailSignIn.enabled) return;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/email-sign-in/request',
    {
      config: { rateLimit: 'mail' },
      schema: {
        summary: 'Mail a sign-in code and link to this address (when it has an account)',
        body: EmailBody,
        response: { 202: MessageV1, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await core.emailSignIn.request(request.body.email);
      return reply
        .code(202)
        .send(envelope({ message: 'If the address belongs to an account, a mail with a sign-in code is on its way' }));
    },
  );

  r.post(
    '/auth/email-sign-in',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: 'Sign in with the mailed code (with a second factor on: an MFA challenge instead of tokens)',
        body: VerifyEmailBody,
        response: { 200: Type.Union([TokenResponse, MfaRequired]), ...errors(400, 401, 429) },
      },
    },
    async (request) => {
      const result = await core.emailSignIn.signIn(request.body.email, request.body.code, clientOf(request));
      return result.mfa ? mfaRequired(result.mfa) : tokensV1(result.tokens);
    },
  );
}
