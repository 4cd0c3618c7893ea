import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { IdParams } from '../shared/schemas.js';
import { envelope, tokensV1 } from './presenter.js';
import { MfaVerifyBody, PasswordBody, RecoveryCodes, TokenResponse, TotpCodeBody, TotpSetup } from './auth.schemas.js';
import { ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** The second factor: TOTP with recovery codes, and answering a login's challenge. */
export function mfaRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/mfa/totp',
    {
      config: { rateLimit: 'password' },
      schema: {
        security,
        summary: 'Start turning TOTP on (not active until confirmed)',
        body: PasswordBody,
        response: { 200: TotpSetup, ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) => {
      const setup = await core.mfa.begin(requirePrincipal(request), request.body.password);
      return envelope({ secret: setup.secret, otpauth_url: setup.otpauthUrl, qr_svg: setup.qrSvg });
    },
  );

  r.post(
    '/auth/mfa/totp/confirm',
    {
      schema: {
        security,
        summary: 'Turn TOTP on with a code from the authenticator; answers recovery codes, shown once',
        body: TotpCodeBody,
        response: { 200: RecoveryCodes, ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) =>
      envelope({ recovery_codes: await core.mfa.confirm(requirePrincipal(request), request.body.code) }),
  );

  r.delete(
    '/auth/mfa/totp',
    {
      config: { rateLimit: 'password' },
      schema: {
        security,
        summary: 'Turn TOTP off (needs the password)',
        body: PasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await core.mfa.disable(requirePrincipal(request), request.body.password);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/users/:id/mfa',
    {
      schema: {
        security,
        summary: "Turn a user's second factor off, for a lost authenticator (admins)",
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.mfa.reset(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/mfa/verify',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: "Answer a login's MFA challenge: the same tokens a login gives",
        body: MfaVerifyBody,
        response: { 200: TokenResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      const { tokens } = await core.mfa.verify(
        b.mfa_token,
        { code: b.code, recoveryCode: b.recovery_code },
        clientOf(request),
      );
      return tokensV1(tokens);
    },
  );
}
