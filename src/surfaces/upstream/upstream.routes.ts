import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { setConsoleCookie } from '../shared/console-cookie.js';
import { messagePage } from '../hosted/views.js';
import { bindBrowser, bindingOf, clearBinding } from './binding.js';
import { linkConfirmPage } from './link-page.js';
import { logUpstreamFailure } from './log.js';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const LINKED = 'The account is linked: you can sign in with it from now on. You may close this page.';

/**
 * The console's start (`GET /auth/upstream/:id?to=console`) and every
 * provider's callback (`GET /auth/callback/:id`). The callback finishes what
 * the flow's target asks: hands the user to the hosted interaction that
 * started it, signs in to the console (its refresh cookie, as its own sign-in
 * sets it), or, for a link, asks to confirm it (`POST /auth/link` links).
 */
export function upstreamRoutes(app: FastifyInstance, core: Core, config: Config): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const flow = core.upstream.flow;

  r.get(
    '/upstream/:id',
    {
      config: { rateLimit: 'login' },
      schema: {
        params: Params,
        querystring: Type.Object({ to: Type.Literal('console') }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const binding = bindBrowser(request, reply);
      const url = await flow
        .start(request.params.id, { kind: 'console' }, binding)
        .catch(logUpstreamFailure(request, request.params.id));
      return reply.redirect(url.href, 303);
    },
  );

  // The link's confirmation (its page is the callback's answer): links, or drops it on Cancel; once either way.
  r.post(
    '/link',
    {
      config: { rateLimit: 'login' },
      schema: {
        body: Type.Object({
          link: Type.String({ minLength: 1, maxLength: 100 }),
          confirm: Type.Optional(Type.String({ maxLength: 10 })),
          cancel: Type.Optional(Type.String({ maxLength: 10 })),
        }),
      },
    },
    async (request, reply) => {
      const cancel = request.body.cancel !== undefined;
      const { linked, providerName } = await flow.confirmLink(request.body.link, clientOf(request), cancel);
      const page = linked
        ? messagePage(config.brand, 'Account linked', LINKED)
        : messagePage(config.brand, 'Nothing linked', `Your ${providerName} account was not linked.`);
      return reply.type('text/html').send(page);
    },
  );

  r.get('/callback/:id', { config: { rateLimit: 'login' }, schema: { params: Params } }, async (request, reply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const outcome = await flow
      .callback(request.params.id, query, bindingOf(request), clientOf(request))
      .catch(logUpstreamFailure(request, request.params.id));
    clearBinding(reply);
    const { target, user, providerId } = outcome;
    if (target.kind === 'interaction') {
      const result = await flow.handOff(outcome, target.uid);
      return reply.redirect(`/oidc/interaction/${target.uid}/upstream/done?result=${result}`, 303);
    }
    if (target.kind === 'link') {
      if (outcome.pending)
        return reply
          .type('text/html')
          .send(linkConfirmPage(config.brand, { ...outcome.pending, username: user.username }));
      return reply.type('text/html').send(messagePage(config.brand, 'Account linked', LINKED));
    }
    // The console is for staff: the flow has refused anyone else (core/upstream/flow.ts).
    const signedIn = await flow.signIn(user, providerId, clientOf(request));
    if ('mfa' in signedIn)
      return reply.redirect(`/console/#mfa_token=${encodeURIComponent(signedIn.mfa.mfaToken)}`, 303);
    setConsoleCookie(request, reply, signedIn.tokens.refreshToken, config.refreshTokenTtl);
    return reply.redirect('/console/', 303);
  });
}
