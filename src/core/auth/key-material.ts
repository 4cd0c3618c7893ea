import {
  type JsonWebKey,
  type KeyObject,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPair,
  randomBytes,
  sign,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { AsymmetricAlg, JwtAlg } from '../../config-keys.js';

/** A public JWK as the JWKS publishes it: never a private member. */
export type PublicJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

/** The private JWK the OIDC provider signs ID tokens with. */
export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

// A kid names a key and every token carries it in its header, so it is random: never derived from the key.
export const newKid = (): string => randomBytes(12).toString('base64url');

const generate = promisify(generateKeyPair);

/** A new key pair for `alg`: its public and private JWKs. */
export async function newKeyPair(
  alg: AsymmetricAlg,
  kid: string,
): Promise<{ publicJwk: PublicJwk; privateJwk: PrivateJwk }> {
  const pair =
    alg === 'ES256'
      ? await generate('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? await generate('ed25519')
        : await generate('rsa', { modulusLength: 2048 });
  const tag = { kid, alg, use: 'sig' as const };
  return {
    publicJwk: { ...publicMembers(pair.publicKey.export({ format: 'jwk' })), ...tag },
    privateJwk: { ...pair.privateKey.export({ format: 'jwk' }), ...tag },
  };
}

// The members of a public key of each type (RFC 7518, RFC 8037); anything else is left out.
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
const publicMembers = (jwk: JsonWebKey): JsonWebKey =>
  Object.fromEntries(PUBLIC_MEMBERS.filter((m) => jwk[m] !== undefined).map((m) => [m, jwk[m]]));

export const publicKeyOf = (jwk: JsonWebKey): KeyObject => createPublicKey({ key: jwk, format: 'jwk' });
export const privateKeyOf = (jwk: JsonWebKey): KeyObject => createPrivateKey({ key: jwk, format: 'jwk' });
export const secretKeyOf = (secret: Uint8Array): KeyObject => createSecretKey(secret);

/**
 * Signs a JWS signing input with a key imported once: node:crypto's one-shot `sign` (or an HMAC), a few
 * microseconds, never WebCrypto's import and thread-pool hop per token.
 */
export function signer(alg: JwtAlg, key: KeyObject): (input: string) => string {
  switch (alg) {
    case 'ES256':
      // JWS wants r ‖ s (IEEE P1363), not DER.
      return (input) => sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'EdDSA':
      return (input) => sign(null, Buffer.from(input), key).toString('base64url');
    case 'RS256':
      return (input) => sign('sha256', Buffer.from(input), key).toString('base64url');
    case 'HS256':
      return (input) => createHmac('sha256', key).update(input).digest('base64url');
  }
}
