import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validationError } from '../core/errors.js';
import { credentialsOf } from './principal.js';

/**
 * Headers every answer carries: nothing Usher sends is sniffed into another
 * type, framed, sent on as a referrer, or kept by a cache (user data and
 * tokens must not outlive the response; routes that may be cached, such as
 * pictures, set their own Cache-Control). HSTS only where the request came
 * over HTTPS (directly, or through a trusted proxy).
 */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
  pragma: 'no-cache',
} as const;

export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
    // A NUL byte has no place in a URL (and PostgreSQL cannot store one): refused before anything reads it.
    if (request.url.includes('%00'))
      return done(validationError({ url: 'The URL contains a NUL byte' }, 'Malformed URL', 'request'));
    done();
  });
}

/**
 * The challenge of a 401, as RFC 6750 (§3) says: the scheme and realm, and
 * `error="invalid_token"` when a token came and was refused (an expired,
 * revoked, forged or malformed one), so a client knows to refresh or log in.
 */
export function challenge(request: FastifyRequest, reply: FastifyReply, description: string): void {
  const { apiKey, token } = credentialsOf(request);
  const refused = apiKey !== undefined || (token !== undefined && token !== '');
  const escaped = description.replace(/["\\]/g, '');
  reply.header(
    'www-authenticate',
    refused ? `Bearer realm="usher", error="invalid_token", error_description="${escaped}"` : 'Bearer realm="usher"',
  );
}
