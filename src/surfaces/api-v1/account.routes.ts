import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { errorResponses } from '../shared/responses.js';
import { envelope, userV1 } from './presenter.js';
import type { PictureUrl } from '../shared/links.js';
import { EmailBody, PasswordResetBody, VerifyEmailBody } from './auth.schemas.js';
import { Envelope, ErrorV1, MessageV1 } from './schemas.js';
import { UserV1 } from './users.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const accepted = 'If the address belongs to an account, a mail with a code is on its way';

/**
 * Proving things by mail: email verification and password reset. Requests answer 202 whether or not the address is
 * known, and past its mail limit (core/account/mail-quota.ts).
 */
export function accountRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const mail = { rateLimit: 'mail' as const };

  r.post(
    '/auth/verify-email/request',
    {
      config: mail,
      schema: {
        summary: 'Mail a code that proves this address',
        body: EmailBody,
        response: { 202: MessageV1, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await core.account.requestEmailVerification(request.body.email);
      return reply.code(202).send(envelope({ message: accepted }));
    },
  );

  r.post(
    '/auth/verify-email',
    {
      config: mail,
      schema: {
        summary: 'Verify the address with the mailed code',
        body: VerifyEmailBody,
        response: { 200: Envelope(UserV1), ...errors(400, 429) },
      },
    },
    async (request) =>
      envelope(
        userV1(await core.account.verifyEmail(request.body.email, request.body.code, clientOf(request)), pictureUrl),
      ),
  );

  r.post(
    '/auth/password-reset/request',
    {
      config: mail,
      schema: {
        summary: 'Mail a code to reset the password',
        body: EmailBody,
        response: { 202: MessageV1, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await core.account.requestPasswordReset(request.body.email);
      return reply.code(202).send(envelope({ message: accepted }));
    },
  );

  r.post(
    '/auth/password-reset',
    {
      config: mail,
      schema: {
        summary: 'Set a new password with the mailed code; every session of the user ends',
        body: PasswordResetBody,
        response: { 200: MessageV1, ...errors(400, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      await core.account.resetPassword(b.email, b.code, b.new_password, clientOf(request));
      return envelope({ message: 'Password reset; log in with the new password' });
    },
  );
}
