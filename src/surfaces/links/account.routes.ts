import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import { fieldOf, sayLinkError } from './say.js';
import { askAgainPage, confirmPage, donePage } from './views.js';

type Html = (reply: FastifyReply, body: string, status?: number) => FastifyReply;

/**
 * /auth/mail/verify-email and /auth/mail/reset-password: where the links of the account flows' mails land. The GET
 * shows the button (and the reset's new password field); the POST submits the code, as /api/v1 takes it.
 */
export function accountLinkRoutes(app: FastifyInstance, core: Core, config: Config, html: Html): void {
  const brand = config.brand;
  const flows = {
    verify: {
      path: '/verify-email',
      title: 'Verify your email address',
      text: 'Verify the address',
      label: 'Verify',
      ask: (email: string) => core.account.requestEmailVerification(email),
    },
    reset: {
      path: '/reset-password',
      title: 'Choose a new password',
      text: 'A new password for',
      label: 'Set password',
      ask: (email: string) => core.account.requestPasswordReset(email),
    },
  } as const;

  for (const flow of Object.values(flows)) {
    const again = (email: string, error: string) =>
      askAgainPage(brand, { title: flow.title, error, action: `${flow.path}/request`, email });
    const confirm = (email: string, code: string, error?: string) =>
      confirmPage(brand, { ...flow, action: flow.path, email, code, password: flow === flows.reset, error });

    app.get(flow.path, async (request, reply) => {
      const email = fieldOf(request.query, 'email');
      const code = fieldOf(request.query, 'code');
      if (!email || !code) return html(reply, again(email, 'This link is not complete.'), 400);
      return html(reply, confirm(email, code));
    });

    app.post(flow.path, { config: { rateLimit: 'mail' } }, async (request, reply) => {
      const email = fieldOf(request.body, 'email');
      const code = fieldOf(request.body, 'code');
      try {
        if (flow === flows.verify) {
          await core.account.verifyEmail(email, code, clientOf(request));
          return html(reply, donePage(brand, 'Address verified', `${email} is verified. You may close this page.`));
        }
        const password = String((request.body as Record<string, unknown>)?.password ?? '');
        if (!password) return html(reply, confirm(email, code, 'Enter a new password.'), 400);
        await core.account.resetPassword(email, code, password, clientOf(request));
        return html(reply, donePage(brand, 'Password changed', 'Your password is changed. Sign in with it.'));
      } catch (error) {
        const { status, text, link } = sayLinkError(error);
        return html(reply, link ? again(email, text) : confirm(email, code, text), status);
      }
    });

    app.post(`${flow.path}/request`, { config: { rateLimit: 'mail' } }, async (request, reply) => {
      const email = fieldOf(request.body, 'email');
      if (!email) return html(reply, again('', 'Enter your email address.'), 400);
      await flow.ask(email);
      return html(
        reply,
        donePage(brand, 'Check your mail', 'If the address has an account, a new mail is on its way to it.'),
      );
    });
  }
}
