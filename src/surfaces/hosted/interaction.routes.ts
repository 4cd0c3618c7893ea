import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { clientOf } from '../../http/principal.js';
import type { ProviderHandle } from '../oidc/bridge.js';
import { emailRoutes } from './email.routes.js';
import { helpRoutes } from './help.routes.js';
import { passkeyRoutes } from './passkey.routes.js';
import { signInPage, ssoInteractionRoutes } from './sso.routes.js';
import { upstreamButtons, upstreamInteractionRoutes } from './upstream.routes.js';
import { type Form, expired, sayError } from './say.js';
import type { InteractionSteps } from './steps.js';
import { consentPage, type InteractionView, loginPage, mfaPage } from './views.js';

/**
 * The pages a person signs in on, for the provider's interactions
 * (/oidc/interaction/<uid>): the password (with the same lockout, rate
 * limits, hashing queue and audit events as /api/v1/auth/login), the second
 * factor, consent for third-party applications, and the password reset.
 * Each finished step hands a result to the provider, which sends the browser
 * on (303) to the application or to the next step.
 */
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function interactionRoutes(app: FastifyInstance, core: Core, config: Config, oidc: ProviderHandle): void {
  // An interaction that expired, finished already, or belongs to another browser is the provider's error.
  const details = (request: FastifyRequest, reply: FastifyReply) =>
    oidc
      .current()
      .interactionDetails(request.raw, reply.raw)
      .catch((error: unknown) => {
        if (error && typeof error === 'object' && 'error' in error) throw expired();
        throw error;
      });
  async function viewOf(request: FastifyRequest, reply: FastifyReply) {
    const d = await details(request, reply);
    const client = await oidc.current().Client.find(String(d.params.client_id));
    const view = {
      brand: config.brand,
      base: `/oidc/interaction/${d.uid}`,
      appName: client?.clientName ?? 'the application',
      firstParty: client?.metadata().first_party === true,
      emailSignIn: core.emailSignIn.enabled,
    } satisfies InteractionView & { firstParty: boolean };
    return { d, view };
  }
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html').send(body);
  async function finish(request: FastifyRequest, reply: FastifyReply, result: InteractionResults, merge = false) {
    const to = await oidc
      .current()
      .interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    return reply.redirect(to, 303);
  }
  const signedIn = (accountId: string, sessionId: string, amr = ['pwd']) => ({
    login: { accountId, amr, ts: Math.floor(core.now() / 1000) },
    usher: { sessionId },
  });

  app.get('/:uid', async (request, reply) => {
    const { d, view } = await viewOf(request, reply);
    if (d.prompt.name === 'login') return html(reply, await signInPage(core, view, String(d.params.login_hint ?? '')));
    // A first-party application is never asked about (prompt=consent included, as offline_access needs it).
    if (view.firstParty) return allow(request, reply, d);
    const accountId = d.session?.accountId ?? '';
    const user = await core.identity.activeUser(accountId);
    const missing = (d.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    return html(reply, consentPage(view, { scopes: missing, user: user?.username ?? '' }));
  });

  app.post('/:uid/login', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await viewOf(request, reply);
    const form = request.body as Form;
    const login = String(form.login ?? '').trim();
    const client = { ...clientOf(request), applicationId: String(d.params.client_id) };
    try {
      const result = await core.auth.login({ username: login, password: String(form.password ?? '') }, client);
      if (result.mfa) return html(reply, mfaPage({ ...view, mfaToken: result.mfa.mfaToken }));
      return finish(request, reply, signedIn(result.user.id, result.sessionId));
    } catch (error) {
      const { status, text } = sayError(error);
      const upstream = upstreamButtons(view.base, await core.upstream.providers.enabled());
      return html(reply, loginPage(view, { login, error: text, upstream }), status);
    }
  });

  app.post('/:uid/mfa', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await viewOf(request, reply);
    const form = request.body as Form;
    const mfaToken = String(form.mfa_token ?? '');
    const code = String(form.code ?? '').trim();
    const answer = /^\d{6}$/.test(code) ? { code } : { recoveryCode: code };
    try {
      const client = { ...clientOf(request), applicationId: String(d.params.client_id) };
      const result = await core.mfa.verify(mfaToken, answer, client);
      return finish(request, reply, signedIn(result.user.id, result.sessionId));
    } catch (error) {
      const { status, text } = sayError(error);
      return html(reply, mfaPage({ ...view, mfaToken }, { error: text }), status);
    }
  });

  /** Grants what the consent prompt is missing, remembers the consent, and hands the grant to the provider. */
  async function allow(request: FastifyRequest, reply: FastifyReply, d: Details) {
    const accountId = d.session?.accountId ?? '';
    const provider = oidc.current();
    const clientId = String(d.params.client_id);
    const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) return finish(request, reply, { error: 'access_denied', error_description: 'The grant ended' });
    const missing = (d.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    if (missing.length) grant.addOIDCScope(missing.join(' '));
    const claims = d.prompt.details.missingOIDCClaims as string[] | undefined;
    if (claims?.length) grant.addOIDCClaims(claims);
    const grantId = await grant.save();
    const scopes = [
      ...new Set(
        String(grant.openid?.scope ?? '')
          .split(' ')
          .filter(Boolean),
      ),
    ];
    await core.identity.rememberConsent(accountId, clientId, scopes, clientOf(request));
    return finish(request, reply, { consent: { grantId } }, true);
  }

  app.post('/:uid/consent', async (request, reply) => {
    const d = await details(request, reply);
    if (d.prompt.name !== 'consent' || !d.session?.accountId) return reply.redirect(`/oidc/interaction/${d.uid}`, 303);
    if ((request.body as Form).decision !== 'allow')
      return finish(request, reply, { error: 'access_denied', error_description: 'The user denied access' });
    return allow(request, reply, d);
  });

  app.post('/:uid/abort', async (request, reply) =>
    finish(request, reply, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }),
  );

  helpRoutes(app, core, viewOf, html);
  const steps: InteractionSteps = { viewOf, html, finish, signedIn };
  emailRoutes(app, core, { ...steps, issuer: config.issuer });
  passkeyRoutes(app, core, steps);
  upstreamInteractionRoutes(app, core, steps);
  ssoInteractionRoutes(app, core, steps);
}
