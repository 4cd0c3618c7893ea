import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Tokens } from '../../core/auth/tokens.js';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { setConsoleCookie } from '../shared/console-cookie.js';
import { type Form, fieldOf, sayLinkError } from './say.js';
import { askAgainPage, codeForAppPage, confirmPage, donePage, mfaLinkPage } from './views.js';

type Html = (reply: FastifyReply, body: string, status?: number) => FastifyReply;

/**
 * /auth/mail/sign-in: where the link of a sign-in asked through /api/v1 lands (a sign-in asked on a hosted sign-in
 * page links back to that page instead). A session begun here has one holder it can be handed to: the admin console,
 * by its refresh cookie. So for an admin or moderator the button signs in (a second factor too, when on) and the page
 * opens the console; for anyone else the code is left unspent and the page shows it, to be entered in the application
 * that asked for it (which signs in through POST /api/v1/auth/email-sign-in).
 */
export function signInLinkRoutes(app: FastifyInstance, core: Core, config: Config, html: Html): void {
  const brand = config.brand;
  const again = (email: string, error: string) =>
    askAgainPage(brand, { title: 'Sign in', error, action: '/sign-in/request', email });
  const consoleOpen = (request: FastifyRequest, reply: FastifyReply, tokens: Tokens) => {
    setConsoleCookie(request, reply, tokens.refreshToken, config.refreshTokenTtl);
    return html(
      reply,
      donePage(brand, 'You are signed in', 'You are signed in to the admin console.', {
        href: '/console/',
        label: 'Open the console',
      }),
    );
  };

  app.get('/sign-in', async (request, reply) => {
    const email = fieldOf(request.query, 'email');
    const code = fieldOf(request.query, 'code');
    if (!email || !code) return html(reply, again(email, 'This link is not complete.'), 400);
    return html(
      reply,
      confirmPage(brand, { title: 'Sign in', text: 'Sign in as', action: '/sign-in', email, code, label: 'Sign in' }),
    );
  });

  app.post('/sign-in', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const email = fieldOf(request.body, 'email');
    const code = fieldOf(request.body, 'code');
    try {
      if (!(await core.emailSignIn.forStaff(email, code))) return html(reply, codeForAppPage(brand, code));
      const result = await core.emailSignIn.signIn(email, code, clientOf(request));
      if (result.mfa) return html(reply, mfaLinkPage(brand, { mfaToken: result.mfa.mfaToken }));
      return consoleOpen(request, reply, result.tokens);
    } catch (error) {
      const { status, text, link } = sayLinkError(error);
      return html(reply, link ? again(email, text) : donePage(brand, 'Sign in', text), status);
    }
  });

  app.post('/sign-in/mfa', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const form = request.body as Form;
    const mfaToken = fieldOf(form, 'mfa_token');
    const code = fieldOf(form, 'code');
    const answer = /^\d{6}$/.test(code) ? { code } : { recoveryCode: code };
    try {
      const result = await core.mfa.verify(mfaToken, answer, { ...clientOf(request), method: 'email' });
      return consoleOpen(request, reply, result.tokens);
    } catch (error) {
      const { status, text } = sayLinkError(error);
      return html(reply, mfaLinkPage(brand, { mfaToken, error: text }), status);
    }
  });

  app.post('/sign-in/request', { config: { rateLimit: 'mail' } }, async (request, reply) => {
    const email = fieldOf(request.body, 'email');
    if (!email) return html(reply, again('', 'Enter your email address.'), 400);
    await core.emailSignIn.request(email);
    return html(
      reply,
      donePage(brand, 'Check your mail', 'If the address has an account, a new mail is on its way to it.'),
    );
  });
}
