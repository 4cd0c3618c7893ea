import { createHmac, webcrypto } from 'node:crypto';
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

const ISSUER = 'usher';
// Only HS256 is accepted: a token naming any other algorithm ("none", RS256 with our secret as a public key) is
// refused.
const ALGORITHMS = ['HS256'];
const CACHE_MAX = 10_000;

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * JWT access tokens. Signing is a plain HMAC-SHA256 over the encoded header
 * and claims: jose signs through WebCrypto, which imports the key and hops to
 * the thread pool for every token, and that was most of a refresh's time.
 * Verification of untrusted tokens stays with jose (algorithm allow-list,
 * issuer, expiry), with each key imported once. Verified tokens are
 * remembered until they expire (up to CACHE_MAX of them), so a client sending
 * the same token on every request pays for the HMAC once; revocation is
 * checked separately, per session.
 */
export function createAccessTokens(keys: KeyRing, ttl: number, now: () => number): AccessTokens {
  const cache = new Map<string, AccessClaims>();
  const imported = new Map<string, Promise<webcrypto.CryptoKey>>();
  const cryptoKey = (key: { kid: string; secret: Uint8Array }) => {
    let k = imported.get(key.kid);
    if (!k) {
      k = webcrypto.subtle.importKey('raw', key.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      imported.set(key.kid, k);
    }
    return k;
  };
  return {
    ttl,
    async sign(userId, sessionId) {
      const key = keys.current();
      const iat = Math.floor(now() / 1000);
      const input = `${b64url({ alg: 'HS256', kid: key.kid, typ: 'JWT' })}.${b64url({ sid: sessionId, sub: userId, iss: ISSUER, iat, exp: iat + ttl })}`;
      return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
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
        const { kid } = decodeProtectedHeader(token);
        const key = typeof kid === 'string' ? await keys.find(kid) : undefined;
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, await cryptoKey(key), {
          algorithms: ALGORITHMS,
          issuer: ISSUER,
          currentDate: new Date(now()),
        });
        if (
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
