import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../core/auth/auth.service.js';
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

/** The credential a request carries: `X-API-Key`, or `Authorization: Bearer|Token <t>` (any surface takes any). */
export function credentialOf(request: FastifyRequest): { kind: 'api_key' | 'token'; value: string } | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { kind: 'api_key', value: apiKey };
  const header = request.headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  if (space > 0 && (scheme === 'bearer' || scheme === 'token')) return { kind: 'token', value: header.slice(space + 1).trim() };
  return { kind: 'token', value: '' };
}

/**
 * Echoes the request id, then resolves the principal once per request, before rate limiting (which counts
 * per user or per key) and before the handler. A bad credential does not fail
 * here: public routes still work, and protected ones report `authError`.
 */
export function resolvePrincipals(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('authError', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const credential = credentialOf(request);
    // Most traffic to public routes carries no credential: no promise at all then.
    if (!credential) return done();
    authenticate(credential).then(
      (principal) => {
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

  async function authenticate(credential: { kind: 'api_key' | 'token'; value: string }): Promise<Principal> {
    if (credential.value === '') throw unauthenticated('Unsupported Authorization scheme; use Bearer or Token');
    return credential.kind === 'api_key' ? auth.authenticateApiKey(credential.value) : auth.authenticateToken(credential.value);
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
