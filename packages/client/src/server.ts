import { type JWTPayload, createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * For resource servers: verify the access tokens Usher issues, with the public keys it publishes at
 * `<issuer>/.well-known/jwks.json`. Import it as `user-management-api-client/server` (Node 20+).
 */

export interface VerifierOptions {
  /** Usher's issuer (USHER_ISSUER, else its USHER_PUBLIC_URL): tokens must carry it as `iss`. */
  issuer: string;
  /** Checked when given: the `aud` a token must carry (Usher's access tokens carry none). */
  audience?: string | string[];
  /** Where the keys are; default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Algorithms accepted; default the asymmetric ones Usher signs with. */
  algorithms?: string[];
  /** Seconds of clock difference tolerated on `exp`/`nbf`; default 5. */
  clockTolerance?: number;
  /** Milliseconds between two fetches of the JWKS for unknown keys; default 30,000. */
  cooldownDuration?: number;
}

/** The claims of a verified Usher access token. */
export interface UsherClaims extends JWTPayload {
  /** The user's id. */
  sub: string;
  /** The session's id. */
  sid: string;
  iss: string;
  iat: number;
  exp: number;
  /** The team's global role names (issue 28). */
  roles?: string[];
  /** Their permissions. */
  permissions?: string[];
  /** For a token of an organization (organization_id at login or refresh): its id, the member's roles and permissions. */
  org_id?: string;
  org_roles?: string[];
  org_permissions?: string[];
}

/**
 * Whether verified claims grant `permission` (compared exactly: `*` in a permission is a character, not a pattern).
 * Without options: the global permissions only. With `organizationId`: the global ones, or the organization's when
 * the token is for that organization (`org_id`); a token for another organization grants none of its own there.
 */
export function hasPermission(
  claims: Pick<UsherClaims, 'permissions' | 'org_id' | 'org_permissions'>,
  permission: string,
  options: { organizationId?: string } = {},
): boolean {
  if (claims.permissions?.includes(permission)) return true;
  return (
    options.organizationId !== undefined &&
    claims.org_id === options.organizationId &&
    (claims.org_permissions?.includes(permission) ?? false)
  );
}

export interface Verifier {
  /** The token's claims; throws (jose's errors: expired, bad signature, wrong issuer, unknown key) on a bad token. */
  verify(token: string): Promise<UsherClaims>;
}

/** An unknown `kid` fetches the JWKS again at most this often (a rotation publishes the next key ahead anyway). */
const COOLDOWN_MS = 30_000;
/** How long fetched keys are trusted before they are fetched again. */
const CACHE_MAX_AGE_MS = 10 * 60_000;

/**
 * A verifier for Usher's tokens: the JWKS is fetched on first use and cached (jose's createRemoteJWKSet); a token
 * signed by a key it has not seen (after a rotation) makes it fetch again, at most once per 30 s.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const issuer = options.issuer.replace(/\/+$/, '');
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${issuer}/.well-known/jwks.json`), {
    cooldownDuration: options.cooldownDuration ?? COOLDOWN_MS,
    cacheMaxAge: CACHE_MAX_AGE_MS,
  });
  const algorithms = options.algorithms ?? ['ES256', 'EdDSA', 'RS256'];
  return {
    async verify(token) {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockTolerance ?? 5,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return payload as UsherClaims;
    },
  };
}

export {
  type VerifyWebhookOptions,
  type WebhookEvent,
  type WebhookEventType,
  WebhookVerificationError,
  verifyWebhook,
} from './webhooks.js';
