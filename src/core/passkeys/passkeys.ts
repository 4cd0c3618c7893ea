import type { Config } from '../../config.js';
import type { SessionStarter } from '../auth/session-start.js';
import type { ownerProofs } from '../security/owner-proofs.js';
import { createChallenges } from '../sign-in/challenges.js';
import type { Storage } from '../storage.js';
import { type PasskeyService, createPasskeyService } from './passkey.service.js';
import { type PasskeySignIn, createPasskeySignIn } from './passkey.sign-in.js';

export type { PasskeyService, PasskeySignIn };

/** `core.passkeys`: a user's passkeys, and signing in with one. */
export interface Passkeys extends PasskeyService {
  signIn: PasskeySignIn;
}

/** Builds the passkeys' services (called once by core.ts). */
export function createPasskeys(o: {
  config: Config;
  storage: Storage;
  proofs: Pick<ReturnType<typeof ownerProofs>, 'assertRecentSignIn'>;
  startSession: SessionStarter;
  now: () => number;
}): Passkeys {
  const deps = {
    storage: o.storage,
    challenges: createChallenges(o.storage, o.now),
    proofs: o.proofs,
    startSession: o.startSession,
    webauthn: o.config.webauthn,
    requireVerifiedEmail: o.config.requireVerifiedEmail,
    now: o.now,
  };
  return { ...createPasskeyService(deps), signIn: createPasskeySignIn(deps) };
}
