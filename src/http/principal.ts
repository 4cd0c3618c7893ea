import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/core.js';
import { AppError, unauthenticated } from '../core/errors.js';
import type { ClientInfo, Principal } from '../core/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, or null when no (valid) credential came with the request. */
    principal: Principal | null;
    /** Why a credential that did come was refused; reported only if the route needs one. */
    authError: AppError | null;
  }
}

/** The credentials a request carries, read from its headers in this one place. */
export interface Credentials {
  /** `X-API-Key`. */
  apiKey?: string;
  /** The token of `Authorization: Bearer <t>` or `Token <t>` (any surface takes either); '' for another scheme. */
  token?: string;
}

export function credentialsOf(request: FastifyRequest): Credentials {
  const out: Credentials = {};
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') out.apiKey = apiKey;
  const header = request.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    out.token = space > 0 && (scheme === 'bearer' || scheme === 'token') ? header.slice(space + 1).trim() : '';
  }
  return out;
}

/**
 * Echoes the request id, then resolves the principal once per request, before
 * rate limiting (which counts per user or per key) and before the handler: the
 * API key when one is sent, else the token. A bad credential does not fail
 * here: public routes still work, and protected ones report `authError`.
 */
export function resolvePrincipals(app: FastifyInstance, core: Core): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('authError', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const { apiKey, token } = credentialsOf(request);
    // Most traffic to public routes carries no credential: no promise at all then.
    if (apiKey === undefined && token === undefined) return done();
    authenticate(apiKey, token).then(
      (principal) => {
        principal.client = clientOf(request);
        request.principal = principal;
        done();
      },
      (error) => {
        if (!(error instanceof AppError)) return done(error);
        request.authError = error;
        done();
      },
    );
  });

  async function authenticate(apiKey: string | undefined, token: string | undefined): Promise<Principal> {
    if (apiKey !== undefined) return core.apiKeys.authenticate(apiKey);
    if (!token) throw unauthenticated('Unsupported Authorization scheme; use Bearer or Token');
    return core.auth.authenticateToken(token);
  }
}

/** The caller, or a 401 explaining what was wrong with the credential. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  throw request.authError ?? unauthenticated();
}

/** Where the request came from (the socket address, or X-Forwarded-For as USHER_TRUST_PROXY allows). */
export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null };
}
