import { createCipheriv, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';

/**
 * Export files of other identity systems as those systems write them, with
 * real hashes computed here, independently of the code under test: Keycloak's
 * credentials (PBKDF2 through node:crypto, argon2 through @node-rs/argon2),
 * Firebase's modified scrypt (checked against firebase/scrypt's published
 * vector in firebase.test.ts).
 */

export const PASSWORD_OF = (name: string) => `Pass-${name}-9x`;

/** A Keycloak password credential as `kc.sh export` writes it (secretData and credentialData are JSON text). */
export function keycloakPbkdf2(
  password: string,
  algorithm: 'pbkdf2-sha256' | 'pbkdf2-sha512' | 'pbkdf2',
  iterations = 27500,
): Record<string, unknown> {
  const digest = { 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512', pbkdf2: 'sha1' }[algorithm];
  const keyBytes = { 'pbkdf2-sha256': 32, 'pbkdf2-sha512': 128, pbkdf2: 64 }[algorithm];
  const salt = randomBytes(16);
  return {
    id: randomBytes(16).toString('hex'),
    type: 'password',
    userLabel: 'My password',
    createdDate: 1_700_000_000_000,
    secretData: JSON.stringify({
      value: pbkdf2Sync(password, salt, iterations, keyBytes, digest).toString('base64'),
      salt: salt.toString('base64'),
      additionalParameters: {},
    }),
    credentialData: JSON.stringify({ hashIterations: iterations, algorithm, additionalParameters: {} }),
  };
}

/** Keycloak's argon2 provider's credential: raw hash and salt in base64, the parameters as lists of strings. */
export async function keycloakArgon2(password: string): Promise<Record<string, unknown>> {
  const salt = randomBytes(16);
  const raw = await hashRaw(password, {
    algorithm: 2,
    memoryCost: 7168,
    timeCost: 5,
    parallelism: 1,
    outputLen: 32,
    salt,
  });
  return {
    type: 'password',
    secretData: JSON.stringify({
      value: raw.toString('base64'),
      salt: salt.toString('base64'),
      additionalParameters: {},
    }),
    credentialData: JSON.stringify({
      hashIterations: 5,
      algorithm: 'argon2',
      additionalParameters: {
        hashLength: ['32'],
        memory: ['7168'],
        type: ['id'],
        version: ['1.3'],
        parallelism: ['1'],
      },
    }),
  };
}

/** Keycloak's OTP credential: the secret as text (the key is its UTF-8 bytes). */
export const keycloakOtp = (secret: string, data: Record<string, unknown> = {}) => ({
  type: 'otp',
  userLabel: 'Phone',
  secretData: JSON.stringify({ value: secret }),
  credentialData: JSON.stringify({
    subType: 'totp',
    digits: 6,
    counter: 0,
    period: 30,
    algorithm: 'HmacSHA1',
    ...data,
  }),
});

export interface KeycloakUser {
  id: string;
  username: string;
  email: string;
  enabled?: boolean;
  realmRoles?: string[];
  credentials?: Record<string, unknown>[];
  serviceAccountClientId?: string;
}

export const keycloakUser = (u: KeycloakUser) => ({
  id: u.id,
  createdTimestamp: 1_690_000_000_000,
  username: u.username,
  enabled: u.enabled ?? true,
  totp: false,
  emailVerified: true,
  firstName: 'First',
  lastName: 'Last',
  email: u.email,
  attributes: { department: ['research'] },
  credentials: u.credentials ?? [],
  disableableCredentialTypes: [],
  requiredActions: [],
  realmRoles: u.realmRoles ?? ['default-roles-acme'],
  notBefore: 0,
  groups: [],
  ...(u.serviceAccountClientId && { serviceAccountClientId: u.serviceAccountClientId }),
});

/** Firebase's modified scrypt, written here from its description: scrypt's key encrypts the signer key (AES-256-CTR). */
export function firebaseScrypt(
  password: string,
  p: { salt: string; saltSeparator: string; signerKey: string; rounds: number; memCost: number },
): string {
  const N = 2 ** p.memCost;
  const derived = scryptSync(
    Buffer.from(password, 'utf8'),
    Buffer.concat([Buffer.from(p.salt, 'base64'), Buffer.from(p.saltSeparator, 'base64')]),
    64,
    { N, r: p.rounds, p: 1, maxmem: 256 * N * p.rounds },
  ).subarray(0, 32);
  const cipher = createCipheriv('aes-256-ctr', derived, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(Buffer.from(p.signerKey, 'base64')), cipher.final()]).toString('base64');
}

/** firebase/scrypt's published example: the project's parameters, one user's salt and password, and the hash. */
export const FIREBASE_VECTOR = {
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  saltSeparator: 'Bw==',
  rounds: 8,
  memCost: 14,
  salt: '42xEC+ixf3L2lw==',
  password: 'user1password',
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
};
