import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The cookie that ties an upstream flow to the browser that started it: set
 * when the flow starts, sent only to the callback (Path=/auth/callback), Lax
 * so the provider's redirect (a top-level GET from another site) carries it.
 * A callback URL carried to another browser (login CSRF) finds no cookie and
 * is refused.
 */
const NAME = 'usher_upstream';

export function bindBrowser(request: FastifyRequest, reply: FastifyReply): string {
  const value = randomBytes(16).toString('base64url');
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${NAME}=${value}; Path=/auth/callback; Max-Age=300; HttpOnly; SameSite=Lax${secure}`);
  return value;
}

export function bindingOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === NAME) return rest.join('=') || undefined;
  }
  return undefined;
}

/** The cookie's end, once the callback used it. */
export function clearBinding(reply: FastifyReply): void {
  reply.header('set-cookie', `${NAME}=; Path=/auth/callback; Max-Age=0; HttpOnly; SameSite=Lax`);
}
