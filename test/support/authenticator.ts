import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software authenticator for tests: ES256 keys made with node:crypto, `none` attestation, discoverable
 * credentials, the user verified. It answers the options /api/v1 gives with the JSON @simplewebauthn/browser
 * would send, and can be told to lie (another origin or RP id, a counter of its choosing).
 */

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

interface Held {
  id: Buffer;
  key: KeyObject;
  /** The user handle the site gave (options.user.id, base64url). */
  userHandle: string;
  rpId: string;
  counter: number;
}

export interface Ceremony {
  /** The origin the browser would report (default: the authenticator's). */
  origin?: string;
  /** The RP id whose hash the authenticator data carries (default: the options'). */
  rpId?: string;
  /** The counter to sign with (default: one more than the last, or 0 for a synced passkey). */
  counter?: number;
  /** Which held credential answers (default: the newest for the RP id). */
  credentialId?: string;
  /** Whether the user was verified (default true). */
  userVerified?: boolean;
}

export class SoftAuthenticator {
  readonly held: Held[] = [];

  /** `synced`: a multi-device passkey (backed up, counter always 0), as password managers make. */
  constructor(
    readonly origin: string,
    readonly synced = false,
  ) {}

  private flags(o: { uv: boolean; attested?: boolean }): number {
    return 0x01 | (o.uv ? 0x04 : 0) | (this.synced ? 0x08 | 0x10 : 0) | (o.attested ? 0x40 : 0);
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a new credential for `options` (PublicKeyCredentialCreationOptionsJSON). */
  create(options: any, o: Ceremony = {}): any {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = randomBytes(32);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), length, id, Buffer.from(cose)]);
    const rpId = o.rpId ?? options.rp.id;
    const counter = o.counter ?? 0;
    const authData = this.authData(rpId, this.flags({ uv: o.userVerified ?? true, attested: true }), counter, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    this.held.push({ id, key: privateKey, userHandle: options.user.id, rpId: options.rp.id, counter });
    return {
      id: b64(id),
      rawId: b64(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(this.clientData('webauthn.create', options.challenge, o.origin ?? this.origin)),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get(): an assertion for `options` (PublicKeyCredentialRequestOptionsJSON). */
  get(options: any, o: Ceremony = {}): any {
    const allowed: string[] = (options.allowCredentials ?? []).map((c: { id: string }) => c.id);
    const candidates = this.held.filter(
      (h) => h.rpId === options.rpId && (allowed.length === 0 || allowed.includes(b64(h.id))),
    );
    const cred = o.credentialId ? this.held.find((h) => b64(h.id) === o.credentialId) : candidates.at(-1);
    if (!cred) throw new Error('no credential for these options');
    const counter = o.counter ?? (this.synced ? 0 : cred.counter + 1);
    cred.counter = counter;
    const authData = this.authData(o.rpId ?? options.rpId, this.flags({ uv: o.userVerified ?? true }), counter);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), cred.key);
    return {
      id: b64(cred.id),
      rawId: b64(cred.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: cred.userHandle,
      },
    };
  }
}
