import type { RegistrationResponseJSON, AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Config } from '../../config.js';
import type { SessionStarter } from '../auth/session-start.js';
import type { ownerProofs } from '../security/owner-proofs.js';
import type { Challenges } from '../sign-in/challenges.js';
import type { Storage } from '../storage.js';

export type { PasskeyRecord } from '../storage.js';
export type { RegistrationResponseJSON, AuthenticationResponseJSON };

/** What a person sees of a passkey: never its public key or credential id. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
}

/** A ceremony's first step: the challenge's id (sent back with the answer) and the options for the browser. */
export interface CeremonyOptions<O> {
  challengeId: string;
  options: O;
}

export interface PasskeyDeps {
  storage: Storage;
  challenges: Challenges;
  proofs: Pick<ReturnType<typeof ownerProofs>, 'assertRecentSignIn'>;
  startSession: SessionStarter;
  webauthn: Config['webauthn'];
  requireVerifiedEmail: boolean;
  now: () => number;
}

/** The challenges' purposes: a registration's challenge never signs anyone in, nor the reverse. */
export const REGISTER = 'passkey_register';
export const LOGIN = 'passkey_login';
