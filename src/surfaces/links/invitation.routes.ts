import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BrandSettings } from '../../config.identity.js';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { INVITATION_PATH } from '../../core/organizations/invitations.js';
import { clientOf } from '../../http/principal.js';
import { esc, field, notice, page } from '../hosted/layout.js';
import { fieldOf, sayLinkError } from './say.js';
import { PREFIX, donePage } from './views.js';

type Html = (reply: FastifyReply, body: string, status?: number) => FastifyReply;

const PATH = INVITATION_PATH.slice(PREFIX.length);
const TITLE = 'Join an organization';

const hidden = (email: string, code: string) =>
  `<input type="hidden" name="email" value="${esc(email)}"><input type="hidden" name="code" value="${esc(code)}">`;

/**
 * The invitation's page: two forms, each with the code in hidden fields. One joins the account that already uses the
 * address; the other makes the account on the way (username and password; the code proved the address). Plain HTML,
 * no script.
 */
export function invitationPage(
  brand: BrandSettings,
  o: { email: string; code: string; error?: string; username?: string },
): string {
  const form = (body: string, label: string) =>
    `<form method="post" action="${INVITATION_PATH}">\n${hidden(o.email, o.code)}\n${body}<div class="actions"><button type="submit">${esc(label)}</button></div>\n</form>`;
  return page(
    brand,
    TITLE,
    `<p>You are invited to join an organization as <strong>${esc(o.email)}</strong>.</p>
${notice(o.error)}
<section aria-labelledby="existing">
<h2 id="existing">I have an account</h2>
<p>The account that uses this address joins.</p>
${form('', 'Join with my account')}
</section>
<section class="divided" aria-labelledby="new">
<h2 id="new">I am new here</h2>
<p>Create your account with this address, and join.</p>
${form(
  `${field('username', 'Username', { value: o.username ?? '', autocomplete: 'username' })}${field('password', 'Password', { type: 'password', autocomplete: 'new-password' })}`,
  'Create account and join',
)}
</section>`,
  );
}

/** /auth/mail/invitation: where an invitation's mailed link lands; the POST spends the code. */
export function invitationLinkRoutes(app: FastifyInstance, core: Core, config: Config, html: Html): void {
  const brand = config.brand;
  const ended = () =>
    donePage(
      brand,
      TITLE,
      'This invitation is wrong, was used or revoked, or has expired. Ask whoever invited you for a new one.',
    );

  app.get(PATH, async (request, reply) => {
    const email = fieldOf(request.query, 'email');
    const code = fieldOf(request.query, 'code');
    if (!email || !code) return html(reply, ended(), 400);
    return html(reply, invitationPage(brand, { email, code }));
  });

  app.post(PATH, { config: { rateLimit: 'mail' } }, async (request, reply) => {
    const email = fieldOf(request.body, 'email');
    const code = fieldOf(request.body, 'code');
    const username = fieldOf(request.body, 'username');
    const password = String((request.body as Record<string, unknown> | undefined)?.password ?? '');
    try {
      const joined = await core.organizations.invitations.acceptByMail(
        email,
        code,
        { username: username || undefined, password: password || undefined },
        clientOf(request),
      );
      const name = joined.organization.name;
      return html(
        reply,
        joined.created
          ? donePage(
              brand,
              'Welcome',
              `Your account ${joined.user.username} is ready and you joined ${name}. Sign in with it.`,
            )
          : donePage(brand, 'Invitation accepted', `${joined.user.username} joined ${name}. Sign in as usual.`),
      );
    } catch (error) {
      const { status, text, link } = sayLinkError(error);
      if (link) return html(reply, ended(), status);
      return html(reply, invitationPage(brand, { email, code, username, error: text }), status);
    }
  });
}
