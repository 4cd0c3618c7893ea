import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { type Form, sayError } from './say.js';
import { forgotPage, type InteractionView, loginPage, resetPage } from './views.js';

type ViewOf = (request: FastifyRequest, reply: FastifyReply) => Promise<{ view: InteractionView }>;
type Html = (reply: FastifyReply, body: string, status?: number) => FastifyReply;

/**
 * "Forgot password?" on the sign-in page, through the account flows' reset
 * codes: the same answer whatever address is typed (no enumeration), the
 * same mail limits; a new password signs the user out everywhere, as
 * /api/v1's reset does, and the page goes back to the sign-in form.
 */
export function helpRoutes(app: FastifyInstance, core: Core, viewOf: ViewOf, html: Html): void {
  app.get('/:uid/forgot', async (request, reply) => html(reply, forgotPage((await viewOf(request, reply)).view)));

  app.post('/:uid/forgot', { config: { rateLimit: 'mail' } }, async (request, reply) => {
    const { view } = await viewOf(request, reply);
    const email = String((request.body as Form).email ?? '').trim();
    if (!email) return html(reply, forgotPage(view, { error: 'Enter your email address.' }), 400);
    try {
      await core.account.requestPasswordReset(email);
    } catch (error) {
      const { status, text } = sayError(error);
      if (status !== 400) return html(reply, forgotPage(view, { error: text }), status);
    }
    const info = 'If the address has an account, a code is on its way to it.';
    return html(reply, resetPage(view, { email, info }));
  });

  app.post('/:uid/reset', { config: { rateLimit: 'password' } }, async (request, reply) => {
    const { view } = await viewOf(request, reply);
    const form = request.body as Form;
    const email = String(form.email ?? '').trim();
    try {
      await core.account.resetPassword(
        email,
        String(form.code ?? '').trim(),
        String(form.password ?? ''),
        clientOf(request),
      );
    } catch (error) {
      const { status, text } = sayError(error);
      return html(reply, resetPage(view, { email, error: text }), status);
    }
    return html(reply, loginPage(view, { login: email, info: 'Your password is changed. Sign in with it.' }));
  });
}
