import type { FastifyReply, FastifyRequest } from 'fastify';

/** The console's refresh-token cookie: set by its sign-in (console/session.routes.ts) and by a mailed sign-in link. */
export const CONSOLE_COOKIE = 'usher_console';
const COOKIE_PATH = '/console/api/session';

/**
 * The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict, only sent to the session API, Secure over
 * HTTPS.
 */
export function setConsoleCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${CONSOLE_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
  );
}
