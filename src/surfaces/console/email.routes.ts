import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tokens } from '../../core/auth/tokens.js';
import type { Core } from '../../core/core.js';
import type { User } from '../../core/types.js';
import { clientOf } from '../../http/principal.js';
import { EmailBody, VerifyEmailBody } from '../api-v1/auth.schemas.js';
import { ErrorV1 } from '../api-v1/schemas.js';
import { errorResponses } from '../shared/responses.js';
import { mfaRequired } from '../shared/schemas.js';
import type { consoleSession } from './presenter.js';
import { ConsoleHeaders, SignedIn } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
type SignedInAnswer = (
  request: FastifyRequest,
  reply: FastifyReply,
  tokens: Tokens,
  user?: User,
) => Promise<ReturnType<typeof consoleSession>>;

/**
 * The console's "Email me a sign-in code" (USHER_EMAIL_SIGN_IN): whether it is on (the sign-in page asks before
 * offering it), the request (202 for any address), and the sign-in with the code, answered as the password sign-in
 * (the MFA challenge goes to /session/mfa; the refresh token into the cookie; staff only).
 */
export function emailSessionRoutes(app: FastifyInstance, core: Core, signedIn: SignedInAnswer): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/session/email',
    {
      schema: {
        summary: 'Whether the console offers sign-in with a mailed code (USHER_EMAIL_SIGN_IN)',
        headers: ConsoleHeaders,
        response: { 200: Type.Object({ enabled: Type.Boolean() }), ...errors(400, 429) },
      },
    },
    async () => ({ enabled: core.emailSignIn.enabled }),
  );
  if (!core.emailSignIn.enabled) return;

  r.post(
    '/session/email/request',
    {
      config: { rateLimit: 'mail' },
      schema: {
        summary: 'Mail a sign-in code to this address (when it has an account); 202 for any address',
        headers: ConsoleHeaders,
        body: EmailBody,
        response: { 202: Type.Object({ message: Type.String() }), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await core.emailSignIn.request(request.body.email);
      return reply
        .code(202)
        .send({ message: 'If the address belongs to an account, a mail with a sign-in code is on its way' });
    },
  );

  r.post(
    '/session/email',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: 'Sign in to the console with the mailed code (admins and moderators), as POST /session answers',
        headers: ConsoleHeaders,
        body: VerifyEmailBody,
        response: { 200: SignedIn, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const result = await core.emailSignIn.signIn(request.body.email, request.body.code, clientOf(request));
      if (result.mfa) return mfaRequired(result.mfa);
      return signedIn(request, reply, result.tokens, result.user);
    },
  );
}
