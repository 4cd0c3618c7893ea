import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Core } from '../../core/core.js';

/**
 * oidc-provider's `loadExistingGrant`: the grant of this browser session
 * when there is one; else, for a first-party application, every scope it
 * asked for (no consent screen), and for a third-party one, the scopes the
 * user allowed it before (a consent is remembered per user and application
 * until withdrawn). Scopes still missing go to the consent page.
 */
export function rememberedGrant(core: Core) {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const client = oidc.client;
    const accountId = oidc.session?.accountId;
    if (!client || !accountId) return undefined;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
    if (grantId) {
      const grant = await oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const requested = [...(oidc.requestParamScopes ?? [])];
    const firstParty = client.metadata().first_party === true;
    const allowed = firstParty ? requested : await core.identity.rememberedConsent(accountId, client.clientId);
    if (!allowed?.length) return undefined;
    const grant = new oidc.provider.Grant({ clientId: client.clientId, accountId });
    grant.addOIDCScope(requested.filter((s) => allowed.includes(s)).join(' '));
    await grant.save();
    return grant;
  };
}
