import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { KeyRing } from './signing-keys.js';

export interface AccessClaims {
  sub: string;
  sid: string;
  exp: number;
  /** The team's global role names and their permissions (issue 28). */
  roles?: string[];
  permissions?: string[];
  /** For an organization's session: its id, and the member's roles and permissions there. */
  org_id?: string;
  org_roles?: string[];
  org_permissions?: string[];
}

/** The claims of roles and permissions a token carries besides who and which session (permissions.ts). */
export type GrantClaims = Pick<AccessClaims, 'roles' | 'permissions' | 'org_id' | 'org_roles' | 'org_permissions'>;

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** The grant claims of a verified payload, kept with it in the verify cache (so requests never read them again). */
function grantsOf(payload: Record<string, unknown>): GrantClaims {
  const out: GrantClaims = {};
  const roles = strings(payload.roles);
  const permissions = strings(payload.permissions);
  if (roles) out.roles = roles;
  if (permissions) out.permissions = permissions;
  if (typeof payload.org_id === 'string') {
    out.org_id = payload.org_id;
    out.org_roles = strings(payload.org_roles) ?? [];
    out.org_permissions = strings(payload.org_permissions) ?? [];
  }
  return out;
}

export interface AccessTokens {
  readonly ttl: number;
  sign(userId: string, sessionId: string, grants?: GrantClaims): Promise<string>;
  /** The claims of a valid, unexpired token, or undefined. Never throws. */
  verify(token: string): Promise<AccessClaims | undefined>;
}

const CACHE_MAX = 10_000;
// The issuer HS256 tokens carried before USHER_ISSUER: still accepted from an HS256 key, until those tokens expire.
const LEGACY_ISSUER = 'usher';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * JWT access tokens: `iss` (the configured issuer), `sub`, `sid`, `iat`, `exp`, the team's `roles` and `permissions` (and
 * `org_id`, `org_roles`, `org_permissions` for an organization's session), and `kid`, `typ: JWT` in the header.
 * Signing is node:crypto's one-shot `sign` (or an HMAC for HS256) with a key imported once, never WebCrypto per
 * token. Verification of untrusted tokens stays with jose: the token's `alg` must be the alg of the key its `kid`
 * names (so no "none", no HS256 with a public key), then the issuer and expiry. Verified tokens are remembered until
 * they expire (up to CACHE_MAX of them), so a client sending the same token on every request pays for the signature
 * check once; revocation is checked separately, per session.
 */
export function createAccessTokens(keys: KeyRing, ttl: number, issuer: string, now: () => number): AccessTokens {
  const cache = new Map<string, AccessClaims>();
  return {
    ttl,
    async sign(userId, sessionId, grants = {}) {
      const key = keys.current();
      const iat = Math.floor(now() / 1000);
      const input = `${b64url({ alg: key.alg, kid: key.kid, typ: 'JWT' })}.${b64url({ sid: sessionId, sub: userId, iss: issuer, iat, exp: iat + ttl, ...grants })}`;
      return `${input}.${key.sign!(input)}`;
    },
    async verify(token) {
      const nowSec = now() / 1000;
      const cached = cache.get(token);
      if (cached) {
        if (cached.exp > nowSec) return cached;
        cache.delete(token);
        return undefined;
      }
      try {
        const { kid, alg } = decodeProtectedHeader(token);
        const key = typeof kid === 'string' ? await keys.find(kid, alg) : undefined;
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, key.verifyKey, {
          algorithms: [key.alg],
          // Only Usher's own access tokens: the OpenID provider's ID tokens (same keys, same issuer) carry an
          // audience, and no `typ: JWT`.
          typ: 'JWT',
          issuer: key.alg === 'HS256' ? [issuer, LEGACY_ISSUER] : issuer,
          currentDate: new Date(now()),
        });
        if (
          payload.aud !== undefined ||
          typeof payload.sub !== 'string' ||
          typeof payload.sid !== 'string' ||
          typeof payload.exp !== 'number' ||
          typeof payload.iat !== 'number'
        )
          return undefined;
        // A token that claims a longer life than this server grants was not made by it as configured now.
        if (payload.exp - payload.iat > ttl) return undefined;
        const claims = { sub: payload.sub, sid: payload.sid, exp: payload.exp, ...grantsOf(payload) };
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
        cache.set(token, claims);
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}
