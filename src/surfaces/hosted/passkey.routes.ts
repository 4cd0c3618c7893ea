import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { unauthenticated } from '../../core/errors.js';
import type { AuthenticationResponseJSON } from '../../core/passkeys/passkey.types.js';
import { clientOf } from '../../http/principal.js';
import { type Form, sayError } from './say.js';
import { loginPage } from './views.js';
import type { InteractionSteps } from './steps.js';

/** The browser's answer, as the page's script put it in the form: JSON of the right outline, or nothing. */
function credentialOf(raw: string | undefined): AuthenticationResponseJSON | undefined {
  try {
    const value = JSON.parse(raw ?? '') as AuthenticationResponseJSON;
    const r = value?.response;
    const strings = [value?.id, value?.rawId, r?.clientDataJSON, r?.authenticatorData, r?.signature];
    if (
      !strings.every((s) => typeof s === 'string') ||
      (r.userHandle !== undefined && typeof r.userHandle !== 'string')
    )
      return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Signing in with a passkey on the hosted page (its script: assets/hosted-passkey.js): the options as JSON for the
 * script, then the browser's answer in a form POST, finished as the password's form is (the provider's session
 * linked to the Usher session). Only an interaction of this browser asks (its cookie), and the login rate limits
 * apply. A passkey is both factors: no second-factor page follows.
 */
export function passkeyRoutes(app: FastifyInstance, core: Core, h: InteractionSteps): void {
  app.post('/:uid/passkey/options', { config: { rateLimit: 'login' } }, async (request, reply) => {
    await h.viewOf(request, reply);
    const { challengeId, options } = await core.passkeys.signIn.options();
    return reply
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(JSON.stringify({ challenge_id: challengeId, options }));
  });

  app.post('/:uid/passkey', { config: { rateLimit: 'login' } }, async (request, reply) => {
    const { d, view } = await h.viewOf(request, reply);
    const form = request.body as Form;
    const client = { ...clientOf(request), applicationId: String(d.params.client_id) };
    try {
      const credential = credentialOf(form.credential);
      if (!credential) throw unauthenticated('Passkey sign-in failed');
      const result = await core.passkeys.signIn.verify(String(form.challenge_id ?? ''), credential, client);
      // RFC 8176: proof of possession of a key, with the user verified on the device (two factors).
      return h.finish(request, reply, h.signedIn(result.user.id, result.sessionId, ['pop', 'mfa']));
    } catch (error) {
      const { status, text } = sayError(error);
      const said = status === 401 ? 'Signing in with a passkey did not work. Try again, or use your password.' : text;
      return h.html(reply, loginPage(view, { error: said }), status);
    }
  });
}
