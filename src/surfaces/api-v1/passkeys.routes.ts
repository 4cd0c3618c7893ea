import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../core/passkeys/passkey.types.js';
import { selfOf } from '../../core/policy.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { IdParams } from '../shared/schemas.js';
import { TokenResponse } from './auth.schemas.js';
import {
  LoginOptionsBody,
  LoginOptionsResponse,
  LoginVerifyBody,
  PasskeyEnvelope,
  PasskeyList,
  PasskeyParams,
  RegisterOptionsResponse,
  RegisterVerifyBody,
  RenameBody,
  UserPasskeyParams,
} from './passkeys.schemas.js';
import { envelope, passkeyV1, tokensV1 } from './presenter.js';
import { ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/**
 * Passkeys: your own under /auth/passkeys (adding one needs a recent sign-in), anyone's under /users/{id}/passkeys
 * for admins, and signing in with one (the answer of /auth/login, never an MFA step: a passkey is both factors).
 */
export function passkeysRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/passkeys/register/options',
    {
      schema: {
        security,
        summary:
          'Start adding a passkey: the options for the browser (needs a sign-in within the reauthentication window)',
        response: { 200: RegisterOptionsResponse, ...errors(401, 403, 404, 422, 429) },
      },
    },
    async (request) => {
      const { challengeId, options } = await core.passkeys.registrationOptions(requirePrincipal(request));
      return { challenge_id: challengeId, options };
    },
  );

  r.post(
    '/auth/passkeys/register/verify',
    {
      schema: {
        security,
        summary: "Finish adding a passkey with the browser's answer",
        body: RegisterVerifyBody,
        response: { 201: PasskeyEnvelope, ...errors(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { challenge_id, credential, name } = request.body;
      const passkey = await core.passkeys.register(
        requirePrincipal(request),
        challenge_id,
        credential as unknown as RegistrationResponseJSON,
        name,
      );
      return reply.code(201).send(envelope(passkeyV1(passkey)));
    },
  );

  r.get(
    '/auth/passkeys',
    {
      schema: {
        security,
        summary: 'Your passkeys, oldest first',
        response: { 200: PasskeyList, ...errors(401, 403, 429) },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      return envelope((await core.passkeys.list(me, selfOf(me))).map(passkeyV1));
    },
  );

  r.patch(
    '/auth/passkeys/:id',
    {
      schema: {
        security,
        summary: 'Rename one of your passkeys',
        params: PasskeyParams,
        body: RenameBody,
        response: { 200: PasskeyEnvelope, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      return envelope(passkeyV1(await core.passkeys.rename(me, selfOf(me), request.params.id, request.body.name)));
    },
  );

  r.delete(
    '/auth/passkeys/:id',
    {
      schema: {
        security,
        summary: 'Remove one of your passkeys (422 when it is your last way to sign in)',
        params: PasskeyParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const me = requirePrincipal(request);
      await core.passkeys.remove(me, selfOf(me), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/passkeys/login/options',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: 'Start signing in with a passkey: the options for the browser (no username: any passkey of this site)',
        body: LoginOptionsBody,
        response: { 200: LoginOptionsResponse, ...errors(400, 429) },
      },
    },
    async (request) => {
      const { challengeId, options } = await core.passkeys.signIn.options(request.body.username);
      return { challenge_id: challengeId, options };
    },
  );

  r.post(
    '/auth/passkeys/login/verify',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: "Sign in with the browser's answer: the tokens of a login (a passkey satisfies the second factor)",
        body: LoginVerifyBody,
        response: { 200: TokenResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { challenge_id, credential } = request.body;
      const result = await core.passkeys.signIn.verify(
        challenge_id,
        credential as unknown as AuthenticationResponseJSON,
        clientOf(request),
      );
      return tokensV1(result.tokens);
    },
  );

  r.get(
    '/users/:id/passkeys',
    {
      schema: {
        security,
        summary: "A user's passkeys (admins)",
        params: IdParams,
        response: { 200: PasskeyList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope((await core.passkeys.list(requirePrincipal(request), request.params.id)).map(passkeyV1)),
  );

  r.delete(
    '/users/:id/passkeys/:passkey_id',
    {
      schema: {
        security,
        summary: "Remove a user's passkey (admins; 422 when it is the user's last way to sign in)",
        params: UserPasskeyParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await core.passkeys.remove(requirePrincipal(request), request.params.id, request.params.passkey_id);
      return reply.code(204).send(null);
    },
  );
}
