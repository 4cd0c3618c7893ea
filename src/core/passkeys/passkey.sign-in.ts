import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { auditEvent } from '../audit.js';
import { AppError, unauthenticated } from '../errors.js';
import { PATTERNS } from '../patterns.js';
import type { ClientInfo, User } from '../types.js';
import type { Tokens } from '../auth/tokens.js';
import { CEREMONY_TIMEOUT_MS, counterAccepted } from './passkey.rules.js';
import { type AuthenticationResponseJSON, type CeremonyOptions, LOGIN, type PasskeyDeps } from './passkey.types.js';

export interface PasskeySignIn {
  /**
   * A sign-in's first step. With a username, only that user's passkey will do; the options are the same either
   * way (no list of the user's credentials), so they tell nobody whether the name has an account.
   */
  options(username?: string): Promise<CeremonyOptions<PublicKeyCredentialRequestOptionsJSON>>;
  /** The second step: a session, as a password login starts (a passkey satisfies MFA: no TOTP step). */
  verify(
    challengeId: string,
    credential: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<{ tokens: Tokens; user: User; sessionId: string }>;
}

interface LoginChallenge {
  challenge: string;
  /** A username was given: the user it named (null: none, and nothing will pass). */
  named?: string | null;
}

// One refusal for an unknown credential, a signature that fails, a counter that went back, another user's passkey
// and a suspended or deleted user: a passkey sign-in tells nothing about accounts.
const refused = () => unauthenticated('Passkey sign-in failed');

export function createPasskeySignIn(deps: PasskeyDeps): PasskeySignIn {
  const { storage, challenges, webauthn, now } = deps;
  const iso = () => new Date(now()).toISOString();

  async function failed(client: ClientInfo, userId: string | null, reason: string): Promise<never> {
    await storage.audit.record(
      auditEvent(
        { actorId: null, client },
        { type: 'user.login_failed', targetId: userId, details: { reason, method: 'passkey' } },
        iso(),
      ),
    );
    throw refused();
  }

  return {
    async options(username) {
      let named: string | null | undefined;
      if (username !== undefined) {
        const typed = username.trim();
        const found =
          typed === '' || typed.length > 320 || PATTERNS.control.test(typed)
            ? undefined
            : await storage.users.credentials(typed.includes('@') ? { email: typed } : { username: typed });
        named = found?.user.id ?? null;
      }
      const options = await generateAuthenticationOptions({
        rpID: webauthn.rpId,
        userVerification: 'required',
        timeout: CEREMONY_TIMEOUT_MS,
      });
      const data: LoginChallenge = { challenge: options.challenge, ...(named !== undefined && { named }) };
      const { id } = await challenges.issue(LOGIN, data, named ?? null);
      return { challengeId: id, options };
    },

    async verify(challengeId, credential, client) {
      const taken = await challenges.take<LoginChallenge>(challengeId, LOGIN);
      if (!taken) throw unauthenticated('Unknown, used or expired challenge: ask for new options');
      const passkey = await storage.passkeys.byCredentialId(credential.id);
      if (!passkey) return failed(client, null, 'unknown_passkey');
      const { named } = taken.data;
      if (named !== undefined && named !== passkey.userId) return failed(client, named, 'passkey_of_another_user');
      // The authenticator says whose passkey it holds: it must be the stored owner.
      const handle = credential.response.userHandle;
      if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== passkey.userId)
        return failed(client, passkey.userId, 'passkey_user_mismatch');
      const user = await storage.users.byId(passkey.userId);
      if (user?.status !== 'active') return failed(client, user?.id ?? null, 'not_active');
      const result = await verifyAuthenticationResponse({
        response: credential,
        expectedChallenge: taken.data.challenge,
        expectedOrigin: [...webauthn.origins],
        expectedRPID: webauthn.rpId,
        // The counter is judged below, by the one rule (passkey.rules.ts), once the signature is known good: a clone's
        // sign-in is then audited as such, not as a bad signature.
        credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: 0 },
        requireUserVerification: true,
      }).catch(() => undefined);
      if (!result?.verified) return failed(client, user.id, 'passkey_invalid');
      const info = result.authenticationInfo;
      // The counter read must still be the stored one when the new one is written: a replay racing its original
      // finds it changed.
      if (
        !counterAccepted(passkey.counter, info.newCounter) ||
        !(await storage.passkeys.recordUse(passkey.id, {
          from: passkey.counter,
          to: info.newCounter,
          backedUp: info.credentialBackedUp,
          at: iso(),
        }))
      )
        return failed(client, user.id, 'passkey_counter');
      if (deps.requireVerifiedEmail && !user.emailVerified) {
        await storage.audit.record(
          auditEvent(
            { actorId: null, client },
            {
              type: 'user.login_failed',
              targetId: user.id,
              details: { reason: 'email_not_verified', method: 'passkey' },
            },
            iso(),
          ),
        );
        throw new AppError('EMAIL_NOT_VERIFIED');
      }
      return deps.startSession(user, { ...client, method: 'passkey' });
    },
  };
}
