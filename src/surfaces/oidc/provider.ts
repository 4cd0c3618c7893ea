import type { JWK } from 'jose';
import type ProviderClass from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { Provider } from './library.js';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { OIDC_SCOPES, SCOPE_CLAIMS, claimsOf } from '../../core/identity/claims.js';
import { hashSecret } from '../../core/security/secrets.js';
import { adapterFor } from './adapter.js';
import type { ApplicationLookup } from './clients.js';
import { rememberedGrant } from './grants.js';
import type { ProviderPages } from './pages.js';

export interface ProviderOptions {
  core: Core;
  config: Config;
  applications: ApplicationLookup;
  /** The current signing key, private, with `kid` and `alg`: ID tokens are signed with it. */
  signingKey: JWK & { kid: string; alg: string };
  /** Keys the provider's cookies are signed with (newest first). */
  cookieKeys: string[];
  pages: ProviderPages;
}

/** Where the provider is mounted; the issuer is USHER_ISSUER, its endpoints are under it at this path. */
export const OIDC_PREFIX = '/oidc';

const CLAIMS = Object.fromEntries(
  Object.entries(SCOPE_CLAIMS).filter(([scope]) => scope !== 'offline_access'),
) as unknown as Record<string, string[]>;

/**
 * Usher's OpenID provider: panva's oidc-provider (OpenID Certified), on
 * Usher's users, sessions and database. The authorization code flow with
 * PKCE (S256; required of public clients), refresh tokens that rotate with
 * reuse detection and a grace window, client credentials, introspection,
 * revocation, RP-initiated logout and the device grant. Sign-in, consent,
 * device and logout pages are the hosted surface's (src/surfaces/hosted/).
 */
export function createProvider(o: ProviderOptions): ProviderClass {
  const { core, config, pages } = o;
  const alg = o.signingKey.alg as 'ES256';
  const secure = config.issuer.startsWith('https:');
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure };
  const configuration: Configuration = {
    adapter: adapterFor(core.oidcArtifacts, o.applications),
    async findAccount(_ctx, sub) {
      const user = await core.identity.activeUser(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async (_use: string, scope: string) => ({
          ...claimsOf(user, (id) => `${config.publicUrl ?? config.issuer}/pictures/${id}`),
          ...(await core.identity.teamClaims(sub, scope ?? '')),
          sub,
        }),
      };
    },
    claims: CLAIMS,
    scopes: OIDC_SCOPES,
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    jwks: { keys: [{ ...o.signingKey, use: 'sig' }] as never },
    cookies: { keys: o.cookieKeys, long: cookie, short: cookie },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: {
      id_token_signed_response_alg: alg,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: [alg],
      userinfoSigningAlgValues: [alg],
      introspectionSigningAlgValues: [alg],
      authorizationSigningAlgValues: [alg],
    },
    extraClientMetadata: { properties: ['first_party'] },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Introspection and revocation are for confidential clients (resource servers with a secret).
      introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none' },
      // A client revokes only its own tokens.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logout,
        postLogoutSuccessSource: pages.loggedOut,
      },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: pages.deviceInput,
        userCodeConfirmSource: pages.deviceConfirm,
        successSource: pages.deviceDone,
      },
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    renderError: pages.error,
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    loadExistingGrant: rememberedGrant(core),
    ttl: {
      AccessToken: config.accessTokenTtl,
      AuthorizationCode: 60,
      ClientCredentials: config.accessTokenTtl,
      DeviceCode: 600,
      IdToken: config.accessTokenTtl,
      RefreshToken: config.refreshTokenTtl,
      Interaction: 3600,
      Session: config.sessionMaxAge,
      Grant: config.sessionMaxAge,
    },
  };
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy !== false;
  // Applications' secrets are stored hashed (SHA-256, as API keys): the provider is handed the hash, and what a
  // client presents is hashed before the (constant-time) comparison.
  const compare = provider.Client.prototype.compareClientSecret;
  provider.Client.prototype.compareClientSecret = function (this: unknown, actual: string) {
    return compare.call(this, hashSecret(actual));
  };
  // The provider's refresh grants count with /api/v1's (usher_token_refreshes_total): a refresh is one, whichever
  // surface took it. A replay within the grace window (token.route.ts) never reaches the provider: not a new refresh.
  const refreshGrant = (ctx: { oidc?: { params?: { grant_type?: unknown } } }) =>
    ctx.oidc?.params?.grant_type === 'refresh_token';
  provider.on('grant.success', (ctx) => refreshGrant(ctx) && core.metrics.refresh('success'));
  provider.on('grant.error', (ctx) => refreshGrant(ctx) && core.metrics.refresh('refused'));
  return provider;
}
