import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { bindBrowser } from '../upstream/binding.js';
import { logUpstreamFailure } from '../upstream/log.js';
import { esc, field, notice, page } from './layout.js';
import { PASSKEY_SCRIPTS, passkeyForm } from './passkey.views.js';
import type { Form } from './say.js';
import type { InteractionSteps } from './steps.js';
import { upstreamButtons } from './upstream.routes.js';
import { type InteractionView, button, loginPage } from './views.js';

/**
 * The sign-in page's first step while any organization has single sign-on:
 * the address (or username) alone, so an address at an organization's domain
 * goes straight to its provider (home realm discovery) before any password is
 * asked for. Passkeys, the deployment's providers and a mailed code stay
 * offered beside it.
 */
export function identifierPage(
  v: InteractionView,
  o: { login?: string; upstream?: string; error?: string } = {},
): string {
  return page(
    v.brand,
    'Sign in',
    `<p>to continue to <strong>${esc(v.appName)}</strong></p>
${notice(o.error)}
<form method="post" action="${esc(v.base)}/identify">
${field('login', 'Email or username', { value: o.login ?? '', autocomplete: 'username webauthn', autofocus: true })}
<div class="actions">${button('Continue')}${button('Cancel', { form: 'abort', secondary: true })}</div>
</form>
${passkeyForm(v.base)}
${o.upstream ?? ''}
${v.emailSignIn ? `<p class="links"><a href="${esc(v.base)}/email">Email me a sign-in code</a></p>` : ''}
<form method="post" action="${esc(v.base)}/abort" id="abort"></form>`,
    PASSKEY_SCRIPTS,
  );
}

/** The sign-in page: the address first while any organization has single sign-on, else the password form. */
export async function signInPage(core: Core, v: InteractionView, login: string): Promise<string> {
  const upstream = upstreamButtons(v.base, await core.upstream.providers.enabled());
  if (await core.upstream.orgSso.anyConfigured()) return identifierPage(v, { login, upstream });
  return loginPage(v, { login, upstream });
}

/**
 * `POST /:uid/identify`: an address whose domain is an organization's, with
 * its single sign-on enabled, starts that provider's flow for this
 * interaction (the same flow as its button would); anything else is the
 * password step, the login filled in. Only the domain decides, never whether
 * an account exists.
 */
export function ssoInteractionRoutes(app: FastifyInstance, core: Core, h: InteractionSteps): void {
  app.post('/:uid/identify', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await h.viewOf(request, reply);
    const login = String((request.body as Form).login ?? '')
      .trim()
      .slice(0, 320);
    const upstream = upstreamButtons(view.base, await core.upstream.providers.enabled());
    if (login === '')
      return h.html(reply, identifierPage(view, { upstream, error: 'Enter your email or username.' }), 400);
    const provider = await core.upstream.orgSso.discover(login);
    if (!provider) return h.html(reply, loginPage(view, { login, upstream }));
    const binding = bindBrowser(request, reply);
    const url = await core.upstream.flow
      .start(provider.id, { kind: 'interaction', uid: d.uid }, binding)
      .catch(logUpstreamFailure(request, provider.id));
    return reply.redirect(url.href, 303);
  });
}
