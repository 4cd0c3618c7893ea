import * as oidc from 'openid-client';
import { OutboundError, type Outbound } from '../security/outbound.js';
import type { IdentityProvider } from '../storage.js';
import { githubProfile } from './github.js';
import type { Checks, Profile } from './upstream.types.js';

export type { Checks, Profile };

export interface UpstreamClients {
  authorizationUrl(p: IdentityProvider, secret: string | null, redirectUri: string, checks: Checks): Promise<URL>;
  /** Redeems the code and proves who signed in (ID token: issuer, audience, expiry, nonce; GitHub: its APIs). */
  exchange(p: IdentityProvider, secret: string | null, callback: URL, checks: Checks): Promise<Profile>;
  /** Drops a provider's cached configuration (it changed). */
  forget(id: string): void;
}

/** A provider could not be used (discovery, the token exchange, a refused ID token): the page says so. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    /** The provider's display name, for the page. */
    readonly provider: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Discovery results are kept this long (and dropped at once when a use of them fails). */
const DISCOVERY_TTL_MS = 3600_000;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Who an OpenID provider's claims say signed in. The address is verified only
 * when the provider says so: `email_verified: true`; Entra (microsoft) sends
 * no such claim, but its optional claim `xms_edov: true` (the email's domain
 * owner verified it) counts, for that type only.
 */
export function profileOf(type: IdentityProvider['type'], claims: Record<string, unknown>): Profile {
  return {
    subject: String(claims.sub),
    email: str(claims.email),
    emailVerified: claims.email_verified === true || (type === 'microsoft' && claims.xms_edov === true),
    username: str(claims.preferred_username) ?? str(claims.nickname),
    firstName: str(claims.given_name),
    lastName: str(claims.family_name),
  };
}

/**
 * openid-client over the outgoing-request guard: OpenID providers by
 * discovery (cached per provider), GitHub with explicit endpoints and its
 * user and email APIs. Every request goes through `outbound.fetch`.
 */
export function upstreamClients(outbound: Outbound, now: () => number): UpstreamClients {
  const cache = new Map<string, { at: number; key: string; config: Promise<oidc.Configuration> }>();
  const options = {
    [oidc.customFetch]: outbound.fetch as unknown as oidc.CustomFetch,
    execute: outbound.insecureLoopback ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
  };
  const prepare = (c: oidc.Configuration) => {
    c[oidc.customFetch] = outbound.fetch as unknown as oidc.CustomFetch;
    if (outbound.insecureLoopback) oidc.allowInsecureRequests(c);
    return c;
  };
  const authOf = (secret: string | null, methods: string[] | undefined) =>
    !secret
      ? oidc.None()
      : methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
        ? oidc.ClientSecretPost(secret)
        : oidc.ClientSecretBasic(secret);

  async function build(p: IdentityProvider, secret: string | null): Promise<oidc.Configuration> {
    if (p.type === 'github') {
      const server = {
        issuer: p.authorizationUrl!,
        authorization_endpoint: p.authorizationUrl!,
        token_endpoint: p.tokenUrl!,
      };
      return prepare(
        new oidc.Configuration(server, p.clientId, undefined, secret ? oidc.ClientSecretPost(secret) : oidc.None()),
      );
    }
    // The Configuration discovery answers is the one used: it alone carries openid-client's Entra marker (the
    // templated `{tenantid}` issuer checked with each token's `tid`), which a copy of its metadata loses. The client
    // authentication is chosen from the discovered methods when a request is made.
    const auth: oidc.ClientAuth = secret
      ? (as, client, body, headers) =>
          authOf(secret, as.token_endpoint_auth_methods_supported)(as, client, body, headers)
      : oidc.None();
    return oidc.discovery(new URL(p.issuer!), p.clientId, undefined, auth, options);
  }

  function configOf(p: IdentityProvider, secret: string | null): Promise<oidc.Configuration> {
    const key = `${p.updatedAt}|${p.issuer}|${p.clientId}|${secret ?? ''}`;
    const hit = cache.get(p.id);
    if (hit && hit.key === key && now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
    const config = build(p, secret);
    cache.set(p.id, { at: now(), key, config });
    config.catch(() => cache.delete(p.id));
    return config;
  }

  const failed = (p: IdentityProvider, error: unknown, what: string): never => {
    cache.delete(p.id);
    if (error instanceof UpstreamError) throw error;
    const reason = error instanceof OutboundError ? 'unreachable' : what;
    throw new UpstreamError(`${p.displayName}: ${(error as Error)?.message ?? 'failed'}`, reason, p.displayName);
  };

  return {
    async authorizationUrl(p, secret, redirectUri, checks) {
      const config = await configOf(p, secret).catch((error) => failed(p, error, 'discovery_failed'));
      const params: Record<string, string> = {
        redirect_uri: redirectUri,
        scope: p.scopes.join(' '),
        state: checks.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
        code_challenge_method: 'S256',
      };
      if (p.type !== 'github') params.nonce = checks.nonce;
      return oidc.buildAuthorizationUrl(config, params);
    },

    async exchange(p, secret, callback, checks) {
      const config = await configOf(p, secret).catch((error) => failed(p, error, 'discovery_failed'));
      try {
        if (p.type === 'github') {
          const tokens = await oidc.authorizationCodeGrant(config, callback, {
            pkceCodeVerifier: checks.verifier,
            expectedState: checks.state,
          });
          return await githubProfile(outbound, p.apiUrl!, tokens.access_token);
        }
        const tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: checks.verifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        let claims: Record<string, unknown> = { ...tokens.claims() };
        if (!str(claims.email) && config.serverMetadata().userinfo_endpoint)
          claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
        return profileOf(p.type, claims);
      } catch (error) {
        return failed(p, error, 'token_refused');
      }
    },

    forget: (id) => void cache.delete(id),
  };
}
