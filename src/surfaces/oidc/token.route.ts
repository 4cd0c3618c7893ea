import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { type ProviderHandle, toProvider } from './bridge.js';

/** The provider reads at most this much of a body itself. */
const BODY_LIMIT = 56 * 1024;
const POLL_MS = 50;
const POLL_FOR_MS = 2000;

/** Who presented a refresh token: the same token with other credentials is not the same request again. */
export const callerOf = (authorization: unknown, clientId: unknown, clientSecret: unknown) =>
  createHash('sha256')
    .update(JSON.stringify([authorization ?? '', clientId ?? '', clientSecret ?? '']))
    .digest('base64url');

/**
 * POST /oidc/token, with the refresh grace window in front of the provider:
 * a refresh token sent again within USHER_REFRESH_REUSE_GRACE seconds of its
 * rotation, with the same client credentials, gets the answer its first use
 * got (two tabs, a retried request) instead of ending the grant as reuse.
 * A second use arriving while the first is still running here waits for it
 * (the first claims the token before it awaits anything);
 * one arriving at another instance just after the token was used waits (up
 * to 2 s) for the first answer to be stored. Anything else goes to the
 * provider unchanged.
 */
export function tokenRoute(app: FastifyInstance, core: Core, handle: ProviderHandle, prefix: string): void {
  const answers = core.oidcRefreshAnswers;
  const running = new Map<string, Promise<void>>();

  async function graceAnswer(token: string, caller: string): Promise<object | undefined> {
    const stored = (await answers.find(token)) as { caller?: string; answer?: object } | undefined;
    if (stored) return stored.caller === caller ? stored.answer : undefined;
    const artifact = await core.oidcArtifacts.find('RefreshToken', token);
    const consumed = typeof artifact?.consumed === 'number' ? artifact.consumed * 1000 : undefined;
    if (consumed === undefined || core.now() - consumed > answers.graceSeconds * 1000) return undefined;
    for (let waited = 0; waited < POLL_FOR_MS; waited += POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const later = (await answers.find(token)) as { caller?: string; answer?: object } | undefined;
      if (later) return later.caller === caller ? later.answer : undefined;
    }
    return undefined;
  }

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/token', { schema: { hide: true } }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const params = new URLSearchParams(body.toString('utf8'));
      const token = params.get('grant_type') === 'refresh_token' ? params.get('refresh_token') : null;
      const caller = callerOf(request.headers.authorization, params.get('client_id'), params.get('client_secret'));
      if (!token || answers.graceSeconds === 0) {
        reply.hijack();
        return toProvider(handle, prefix, request.raw, reply.raw, body);
      }
      // The first use of a token here claims it before anything is awaited, so a second use arriving meanwhile
      // (two tabs at once) always finds it, waits for its answer, and gets the same one.
      const earlier = running.get(token);
      let release = () => {};
      if (!earlier) running.set(token, new Promise<void>((resolve) => (release = resolve)));
      try {
        if (earlier) await earlier;
        const answer = await graceAnswer(token, caller);
        if (answer) return reply.header('cache-control', 'no-store').send(answer);
        reply.hijack();
        await toProvider(handle, prefix, request.raw, reply.raw, body);
      } finally {
        if (!earlier) {
          running.delete(token);
          release();
        }
      }
    });
  });
}
