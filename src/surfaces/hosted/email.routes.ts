import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { emailAskPage, emailCodePage, emailLinkPage } from './email.views.js';
import { type Form, sayError } from './say.js';
import { messagePage, mfaPage } from './views.js';
import type { InteractionSteps } from './steps.js';

interface Steps extends InteractionSteps {
  /** The issuer: the provider's cookies are on its origin, so the mail's link is too. */
  issuer: string;
}

const text = (from: unknown, name: string) => String((from as Form | undefined)?.[name] ?? '').trim();

/**
 * "Email me a sign-in code" on the hosted sign-in page (USHER_EMAIL_SIGN_IN=on): the code is typed on the page, or
 * the mail's link comes back to this interaction's own address (only a page under /oidc/interaction/<uid> receives
 * the provider's interaction cookie, so only it can finish the sign-in) and shows a button: a GET spends nothing.
 * The sign-in finishes as the password's does: the session linked, audited `method: "email"`, the second factor
 * asked when on (its form posts here, so that sign-in is audited as an email one too).
 */
export function emailRoutes(app: FastifyInstance, core: Core, s: Steps): void {
  if (!core.emailSignIn.enabled) return;
  const finishWith = (request: FastifyRequest, reply: FastifyReply, r: { user: { id: string }; sessionId: string }) =>
    s.finish(request, reply, s.signedIn(r.user.id, r.sessionId, ['otp']));

  app.get('/:uid/email', async (request, reply) => {
    const email = text(request.query, 'email');
    const code = text(request.query, 'code');
    if (!email || !code) return s.html(reply, emailAskPage((await s.viewOf(request, reply)).view, { email }));
    const view = await s.viewOf(request, reply).then(
      (v) => v.view,
      () => undefined,
    );
    if (!view)
      return s.html(
        reply,
        messagePage(
          request.hostedBrand!,
          'This link cannot finish the sign-in',
          'Open it in the browser where you asked for the code, or type the code there. If that sign-in has expired, start again in the application.',
          'error',
        ),
        400,
      );
    return s.html(reply, emailLinkPage(view, { email, code }));
  });

  app.post('/:uid/email', { config: { rateLimit: 'mail' } }, async (request, reply) => {
    const { d, view } = await s.viewOf(request, reply);
    const email = text(request.body, 'email');
    if (!email) return s.html(reply, emailAskPage(view, { error: 'Enter your email address.' }), 400);
    await core.emailSignIn.request(email, `${s.issuer}/oidc/interaction/${d.uid}/email`);
    const info = 'If the address has an account, a code and a link are on their way to it.';
    return s.html(reply, emailCodePage(view, { email, info }));
  });

  app.post('/:uid/email/code', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await s.viewOf(request, reply);
    const email = text(request.body, 'email');
    const client = { ...clientOf(request), applicationId: String(d.params.client_id) };
    try {
      const result = await core.emailSignIn.signIn(email, text(request.body, 'code'), client);
      // The second factor's form posts to /:uid/email/mfa.
      if (result.mfa)
        return s.html(reply, mfaPage({ ...view, base: `${view.base}/email`, mfaToken: result.mfa.mfaToken }));
      return finishWith(request, reply, result);
    } catch (error) {
      const said = sayError(error);
      const wrong = said.status === 400 ? 'The code is wrong, was used already, or has expired.' : said.text;
      return s.html(reply, emailCodePage(view, { email, error: wrong }), said.status);
    }
  });

  app.post('/:uid/email/mfa', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await s.viewOf(request, reply);
    const mfaToken = text(request.body, 'mfa_token');
    const code = text(request.body, 'code');
    const answer = /^\d{6}$/.test(code) ? { code } : { recoveryCode: code };
    try {
      const client = { ...clientOf(request), applicationId: String(d.params.client_id), method: 'email' as const };
      return finishWith(request, reply, await core.mfa.verify(mfaToken, answer, client));
    } catch (error) {
      const { status, text: said } = sayError(error);
      return s.html(reply, mfaPage({ ...view, base: `${view.base}/email`, mfaToken }, { error: said }), status);
    }
  });
}
