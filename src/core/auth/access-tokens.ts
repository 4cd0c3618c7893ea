import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { KeyRing } from './signing-keys.js';

export interface AccessClaims {
  sub: string;
  sid: string;
  exp: number;
}

export interface AccessTokens {
  readonly ttl: number;
  sign(userId: string, sessionId: string): Promise<string>;
  /** The claims of a valid, unexpired token, or undefined. Never throws. */
  verify(token: string): Promise<AccessClaims | undefined>;
}

const CACHE_MAX = 10_000;
// The issuer HS256 tokens carried before USHER_ISSUER: still accepted from an HS256 key, until those tokens expire.
const LEGACY_ISSUER = 'usher';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * JWT access tokens: `iss` (the configured issuer), `sub`, `sid`, `iat`, `exp`, and `kid`, `typ: JWT` in the header.
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
    async sign(userId, sessionId) {
      const key = keys.current();
      const iat = Math.floor(now() / 1000);
      const input = `${b64url({ alg: key.alg, kid: key.kid, typ: 'JWT' })}.${b64url({ sid: sessionId, sub: userId, iss: issuer, iat, exp: iat + ttl })}`;
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
        const claims = { sub: payload.sub, sid: payload.sid, exp: payload.exp };
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
        cache.set(token, claims);
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}
