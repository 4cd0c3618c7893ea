import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tokens } from '../../core/auth/tokens.js';
import type { Core } from '../../core/core.js';
import { AppError, forbidden, unauthenticated } from '../../core/errors.js';
import { ROLE_RANK, type User } from '../../core/types.js';
import { clientOf } from '../../http/principal.js';
import { ErrorV1 } from '../api-v1/schemas.js';
import type { PictureUrl } from '../shared/links.js';
import { errorResponses } from '../shared/responses.js';
import { mfaRequired } from '../shared/schemas.js';
import { consoleSession } from './presenter.js';
import { ConsoleHeaders, ConsoleSession, MfaBody, SignInBody, SignedIn } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const COOKIE = 'usher_console';
const COOKIE_PATH = '/console/api/session';

/**
 * The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict, only sent to the session API, Secure over
 * HTTPS.
 */
export function setCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
  );
}

const cookieOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
};

/**
 * The console's sign-in: the same login as everywhere (lockout, MFA,
 * audit), for admins and moderators only. The access token goes to the page,
 * which keeps it in memory; the refresh token goes into an httpOnly cookie
 * that only these routes receive, so no script can read a token that
 * outlives the page, and a reload signs back in through `refresh`.
 */
export function sessionRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl, refreshTtl: number): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  /** The page's answer for new tokens: the user must still be staff; a plain user's new session is ended at once. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, tokens: Tokens, user?: User) {
    const principal = await core.auth.authenticateToken(tokens.accessToken);
    const me = user ?? (await core.users.get(principal, principal.userId!));
    if (ROLE_RANK[me.role] < ROLE_RANK.moderator) {
      await core.auth.logout(principal);
      setCookie(request, reply, '', 0);
      throw forbidden('The console is for admins and moderators');
    }
    setCookie(request, reply, tokens.refreshToken, refreshTtl);
    return consoleSession(tokens, me, pictureUrl);
  }

  r.post(
    '/session',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary:
          'Sign in to the console (admins and moderators): an access token, and the refresh token as an httpOnly cookie',
        headers: ConsoleHeaders,
        body: SignInBody,
        response: { 200: SignedIn, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const { login, password } = request.body;
      const result = await core.auth.login(
        login.includes('@') ? { email: login, password } : { username: login, password },
        clientOf(request),
      );
      if (result.mfa) return mfaRequired(result.mfa);
      return signedIn(request, reply, result.tokens, result.user);
    },
  );

  r.post(
    '/session/mfa',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: "Answer the sign-in's second-factor challenge (a TOTP or recovery code)",
        headers: ConsoleHeaders,
        body: MfaBody,
        response: { 200: ConsoleSession, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { mfa_token, code } = request.body;
      const answer = /^\d{6}$/.test(code) ? { code } : { recoveryCode: code };
      const { tokens, user } = await core.mfa.verify(mfa_token, answer, clientOf(request));
      return signedIn(request, reply, tokens, user);
    },
  );

  r.post(
    '/session/refresh',
    {
      schema: {
        summary: "A new access token from the console's cookie (rotates it); 401 without a live session",
        headers: ConsoleHeaders,
        response: { 200: ConsoleSession, ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const refresh = cookieOf(request);
      if (!refresh) throw unauthenticated('Not signed in');
      const tokens = await core.auth.refresh(refresh, clientOf(request)).catch((error: unknown) => {
        if (error instanceof AppError) setCookie(request, reply, '', 0);
        throw error;
      });
      return signedIn(request, reply, tokens);
    },
  );

  r.delete(
    '/session',
    {
      schema: {
        summary: "Sign out: the console's session ends on the server and its cookie is cleared",
        headers: ConsoleHeaders,
        response: { 204: Type.Null(), ...errors(429) },
      },
    },
    async (request, reply) => {
      const refresh = cookieOf(request);
      if (refresh) await core.auth.logoutByRefreshToken(refresh, clientOf(request)).catch(() => undefined);
      setCookie(request, reply, '', 0);
      return reply.code(204).send(null);
    },
  );
}
