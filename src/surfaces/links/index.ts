import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { type AppError, forbidden } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { pageScope } from '../hosted/page-scope.js';
import { sayError } from '../hosted/say.js';
import { messagePage } from '../hosted/views.js';
import { accountLinkRoutes } from './account.routes.js';
import { invitationLinkRoutes } from './invitation.routes.js';
import { signInLinkRoutes } from './sign-in.routes.js';
import { PREFIX } from './views.js';

const DEFAULT_BRAND = { name: 'Usher', logoUrl: undefined, color: '#2563eb' };

/**
 * /auth/mail: the pages the links in Usher's mails land on (sign-in, email verification, password reset,
 * an organization's invitation). A GET only
 * shows a page with a button; the button's POST spends the code, so a mail scanner that follows every link spends
 * nothing (supabase/auth#368). Plain HTML in the hosted pages' look and CSP; errors are pages too.
 */
export const linkPages: Surface<{ core: Core; config: Config }> = {
  prefix: PREFIX,
  envelope: (error: AppError, request) => {
    let text = 'Something went wrong. Try again later.';
    if (statusOf(error) < 500)
      try {
        text = sayError(error).text;
      } catch {}
    return messagePage(request.hostedBrand ?? DEFAULT_BRAND, 'Something went wrong', text, 'error');
  },
  status: statusOf,
  tag: { name: 'links' },
  async plugin(app, { core, config }) {
    pageScope(app, config.brand);
    // The forms post to their own pages only: a post from another site, or from a sibling subdomain (a forged
    // sign-in into someone else's console session, say), is refused. Browsers say where a post comes from in
    // Sec-Fetch-Site; older ones only in Origin, which must then be this host (or `null`: these pages send no
    // referrer, and under that policy a browser's own-page post says `Origin: null`).
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'POST') return;
      const site = request.headers['sec-fetch-site'];
      const origin = request.headers.origin;
      const foreign =
        site !== undefined
          ? site !== 'same-origin' && site !== 'none'
          : origin !== undefined && origin !== 'null' && hostOf(origin) !== request.host;
      if (foreign) throw forbidden('This form can only be sent from its own page.');
    });
    const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html').send(body);
    accountLinkRoutes(app, core, config, html);
    invitationLinkRoutes(app, core, config, html);
    if (core.emailSignIn.enabled) signInLinkRoutes(app, core, config, html);
  },
};

/** The host (with port) an Origin header names, or undefined when it names none. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
