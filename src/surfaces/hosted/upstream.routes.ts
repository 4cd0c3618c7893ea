import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { PublicProvider } from '../../core/upstream/provider.service.js';
import { clientOf } from '../../http/principal.js';
import { bindBrowser } from '../upstream/binding.js';
import { logUpstreamFailure } from '../upstream/log.js';
import { esc } from './layout.js';
import { mfaPage } from './views.js';
import type { InteractionSteps } from './steps.js';

/** The sign-in page's buttons: one form per enabled provider, posting to start its flow for this interaction. */
export function upstreamButtons(base: string, providers: PublicProvider[]): string {
  if (providers.length === 0) return '';
  const forms = providers
    .map(
      (p) =>
        `<form method="post" action="${esc(base)}/upstream/${esc(p.id)}"><button type="submit" class="secondary">Sign in with ${esc(p.displayName)}</button></form>`,
    )
    .join('\n');
  return `<div class="upstream" role="group" aria-label="Other ways to sign in">\n${forms}\n</div>`;
}

/**
 * "Sign in with <provider>" on the hosted page: `POST /:uid/upstream/:id`
 * starts the flow for this interaction (the browser bound by a cookie). The
 * provider's interaction cookie is scoped to /oidc/interaction/<uid>, so the
 * callback hands the proven user back through a single-use id to
 * `GET /:uid/upstream/done`, which finishes the interaction as the password
 * does: a Usher session linked to it, or the second factor first.
 */
export function upstreamInteractionRoutes(app: FastifyInstance, core: Core, h: InteractionSteps): void {
  app.post<{ Params: { uid: string; id: string } }>(
    '/:uid/upstream/:id',
    { config: { rateLimit: 'login' } },
    async (request, reply) => {
      const { d } = await h.viewOf(request, reply);
      const binding = bindBrowser(request, reply);
      const url = await core.upstream.flow
        .start(request.params.id, { kind: 'interaction', uid: d.uid }, binding)
        .catch(logUpstreamFailure(request, request.params.id));
      return reply.redirect(url.href, 303);
    },
  );

  app.get<{ Params: { uid: string }; Querystring: { result?: string } }>(
    '/:uid/upstream/done',
    async (request, reply) => {
      const { d, view } = await h.viewOf(request, reply);
      const { user, providerId } = await core.upstream.flow.takeHandOff(String(request.query.result ?? ''), d.uid);
      const client = { ...clientOf(request), applicationId: String(d.params.client_id) };
      const signedIn = await core.upstream.flow.signIn(user, providerId, client);
      if ('mfa' in signedIn) return h.html(reply, mfaPage({ ...view, mfaToken: signedIn.mfa.mfaToken }));
      return h.finish(request, reply, {
        login: { accountId: user.id, amr: ['fed'], ts: Math.floor(core.now() / 1000) },
        usher: { sessionId: signedIn.sessionId },
      });
    },
  );
}
