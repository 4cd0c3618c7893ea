import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { auditEvent, sourceOf } from '../audit.js';
import { AppError, notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import * as policy from '../policy.js';
import { assertAnotherWay } from '../sign-in/ways.js';
import type { Principal } from '../types.js';
import { CEREMONY_TIMEOUT_MS, PASSKEYS_MAX, checkName, passkeyName } from './passkey.rules.js';
import {
  type CeremonyOptions,
  type Passkey,
  type PasskeyDeps,
  type PasskeyRecord,
  REGISTER,
  type RegistrationResponseJSON,
} from './passkey.types.js';

export interface PasskeyService {
  /** A signed-in user's first step of adding a passkey (needs a sign-in within the reauthentication window). */
  registrationOptions(actor: Principal): Promise<CeremonyOptions<PublicKeyCredentialCreationOptionsJSON>>;
  /** The second step: the browser's answer checked and the passkey stored (audited `passkey.added`). */
  register(
    actor: Principal,
    challengeId: string,
    credential: RegistrationResponseJSON,
    name?: string,
  ): Promise<Passkey>;
  /** A user's passkeys: their own, or anyone's for an admin. */
  list(actor: Principal, userId: string): Promise<Passkey[]>;
  rename(actor: Principal, userId: string, id: string, name: string): Promise<Passkey>;
  /** Removes one (audited `passkey.removed`), unless it is the user's last way to sign in. */
  remove(actor: Principal, userId: string, id: string): Promise<void>;
}

export const passkeyView = (p: PasskeyRecord): Passkey => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt,
  deviceType: p.deviceType,
  backedUp: p.backedUp,
});

const unknownChallenge = () =>
  validationError({ challenge_id: 'Unknown, used or expired challenge: ask for new options' });

/** Adding, listing, renaming and removing passkeys. */
export function createPasskeyService(deps: PasskeyDeps): PasskeyService {
  const { storage, challenges, webauthn, now } = deps;
  const iso = () => new Date(now()).toISOString();

  /** A signed-in user acting on their own account, lately signed in: adding a way in is a credential change. */
  function recentSelf(actor: Principal): string {
    const self = policy.selfOf(actor);
    deps.proofs.assertRecentSignIn(actor);
    return self;
  }

  async function existingUser(userId: string) {
    const user = await storage.users.byId(userId);
    if (!user) throw notFound('User', userId);
    return user;
  }

  return {
    async registrationOptions(actor) {
      const self = recentSelf(actor);
      const user = await existingUser(self);
      const existing = await storage.passkeys.listOf(self);
      if (existing.length >= PASSKEYS_MAX)
        throw new AppError('UNPROCESSABLE_ENTITY', `An account holds at most ${PASSKEYS_MAX} passkeys`, {
          reason: 'passkey_limit',
        });
      const options = await generateRegistrationOptions({
        rpName: webauthn.rpName,
        rpID: webauthn.rpId,
        userName: user.username,
        userID: new TextEncoder().encode(user.id),
        userDisplayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username,
        timeout: CEREMONY_TIMEOUT_MS,
        attestationType: 'none',
        // Discoverable (the sign-in needs no username) and verified (a PIN or biometric: a passkey stands in for a
        // password and a second factor).
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        excludeCredentials: existing.map((p) => ({
          id: p.credentialId,
          transports: p.transports as never,
        })),
      });
      const { id } = await challenges.issue(REGISTER, { challenge: options.challenge }, self);
      return { challengeId: id, options };
    },

    async register(actor, challengeId, credential, rawName) {
      const self = recentSelf(actor);
      const taken = await challenges.take<{ challenge: string }>(challengeId, REGISTER);
      if (!taken || taken.userId !== self) throw unknownChallenge();
      const verified = await verifyRegistrationResponse({
        response: credential,
        expectedChallenge: taken.data.challenge,
        expectedOrigin: [...webauthn.origins],
        expectedRPID: webauthn.rpId,
        requireUserVerification: true,
      }).catch(() => ({ verified: false as const, registrationInfo: undefined }));
      if (!verified.verified) throw validationError({ credential: 'The passkey could not be verified; try again' });
      const info = verified.registrationInfo;
      const at = iso();
      const record: PasskeyRecord = {
        id: uuidv7(now()),
        userId: self,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: passkeyName(rawName, info.credentialDeviceType),
        createdAt: at,
        lastUsedAt: null,
      };
      await storage.transaction(async (s) => {
        if ((await s.passkeys.countOf(self)) >= PASSKEYS_MAX)
          throw new AppError('UNPROCESSABLE_ENTITY', `An account holds at most ${PASSKEYS_MAX} passkeys`, {
            reason: 'passkey_limit',
          });
        await s.passkeys.insert(record);
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            { type: 'passkey.added', targetId: self, details: { passkey_id: record.id, name: record.name } },
            at,
          ),
        );
      });
      return passkeyView(record);
    },

    async list(actor, userId) {
      policy.assertCanManagePasskeys(actor, userId);
      await existingUser(userId);
      return (await storage.passkeys.listOf(userId)).map(passkeyView);
    },

    async rename(actor, userId, id, rawName) {
      policy.assertCanManagePasskeys(actor, userId);
      const name = checkName(rawName);
      const found = await storage.passkeys.ownedBy(userId, id);
      if (!found) throw notFound('Passkey', id);
      if (!(await storage.passkeys.rename(userId, id, name))) throw notFound('Passkey', id);
      return passkeyView({ ...found, name });
    },

    async remove(actor, userId, id) {
      policy.assertCanManagePasskeys(actor, userId);
      const at = iso();
      await storage.transaction(async (s) => {
        // The user's row locked first: two removals at once take turns, so both cannot pass the last-way rule.
        if (!(await s.users.byIdForUpdate(userId))) throw notFound('Passkey', id);
        const found = await s.passkeys.ownedBy(userId, id);
        if (!found) throw notFound('Passkey', id);
        await assertAnotherWay(s, userId, { passkey: true });
        await s.passkeys.remove(userId, id);
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            { type: 'passkey.removed', targetId: userId, details: { passkey_id: id, name: found.name } },
            at,
          ),
        );
      });
    },
  };
}
