import { createHash, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { SessionStarter } from '../auth/session-start.js';
import type { MfaChallenge } from '../auth/tokens.js';
import { AppError, forbidden, notFound } from '../errors.js';
import type { Challenges } from '../sign-in/challenges.js';
import type { Storage } from '../storage.js';
import { type ClientInfo, ROLE_RANK, type User } from '../types.js';
import type { UserService } from '../users/user.service.js';
import { cleanProfile, linkIdentity, refused, resolveUser } from './accounts.js';
import { joinOrganization, organizationRule } from './org-sign-in.js';
import type { ProviderService } from './provider.service.js';
import { UpstreamError, type UpstreamClients } from './upstream-client.js';
import type { Profile } from './upstream.types.js';
import type { MfaService } from '../auth/mfa.service.js';

/** Where a finished upstream sign-in goes: a hosted interaction, the console, or a link to a signed-in user. */
export type Target = { kind: 'interaction'; uid: string } | { kind: 'console' } | { kind: 'link'; userId: string };

interface FlowData {
  providerId: string;
  nonce: string;
  verifier: string;
  target: Target;
  /** SHA-256 of the browser's binding cookie, when the flow was started by a browser. */
  binding: string | null;
}

interface PendingLink {
  userId: string;
  providerId: string;
  profile: Profile;
}

export const UPSTREAM_PURPOSE = 'upstream';
/** The proven user's way from the callback to the hosted interaction. */
export const HANDOFF_PURPOSE = 'upstream_done';

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The proven identity a link waits with for its confirmation. */
export const LINK_PURPOSE = 'upstream_link';

/**
 * The callback's outcome: the user proved (to sign in), or, for a link, the
 * identity waiting for its confirmation (`pending`: a single-use id, what the
 * page names) — absent when it is linked to that user already.
 */
export type Outcome = {
  target: Target;
  user: User;
  providerId: string;
  pending?: { id: string; providerName: string; upstreamAccount: string };
};

export interface UpstreamFlow {
  /** The provider's authorization URL for a new flow; `binding` (a browser cookie's value) ties the callback to it. */
  start(providerId: string, target: Target, binding: string | null): Promise<URL>;
  /** The callback: the state taken once, the code redeemed, the user found, made or linked. */
  callback(
    providerId: string,
    query: URLSearchParams,
    binding: string | undefined,
    client: ClientInfo,
  ): Promise<Outcome>;
  /** Hands a proven user to the hosted interaction `uid` (whose cookie the callback cannot read): a single-use id. */
  handOff(outcome: Outcome, uid: string): Promise<string>;
  /** The user handed to interaction `uid`, once; refused when it was for another interaction, spent or expired. */
  takeHandOff(id: string, uid: string): Promise<{ user: User; providerId: string }>;
  /** Links the identity a link's callback proved (its single-use id), once; `cancel` drops it. */
  confirmLink(id: string, client: ClientInfo, cancel: boolean): Promise<{ linked: boolean; providerName: string }>;
  /** A proven user's sign-in: a session, or the second factor's challenge when TOTP is on. */
  signIn(
    user: User,
    providerId: string,
    client: ClientInfo,
  ): Promise<{ mfa: MfaChallenge } | Awaited<ReturnType<SessionStarter>>>;
}

const expiredFlow = () =>
  new AppError('UNPROCESSABLE_ENTITY', 'This sign-in expired or was already used. Start again.', {
    reason: 'state_invalid',
  });

export function upstreamFlow(o: {
  storage: Storage;
  users: UserService;
  providers: ProviderService;
  clients: UpstreamClients;
  challenges: Challenges;
  startSession: SessionStarter;
  mfa: Pick<MfaService, 'challenge'>;
  requireVerifiedEmail: boolean;
  now: () => number;
}): UpstreamFlow {
  const usable = async (providerId: string) => {
    const loaded = await o.providers.load(providerId);
    if (!loaded?.provider.enabled) throw notFound('Identity provider', providerId);
    return loaded;
  };
  // The page names the provider and says it failed; the cause (never a secret) is for the operator's log.
  const asRefusal = (error: unknown): never => {
    if (error instanceof UpstreamError)
      throw new AppError('UNPROCESSABLE_ENTITY', `The sign-in with ${error.provider} failed.`, {
        reason: error.reason,
        cause: error.message,
      });
    throw error;
  };

  return {
    async start(providerId, target, binding) {
      const { provider, secret } = await usable(providerId);
      const data: FlowData = {
        providerId,
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        target,
        binding: binding ? digest(binding) : null,
      };
      const { id } = await o.challenges.issue(UPSTREAM_PURPOSE, data, target.kind === 'link' ? target.userId : null);
      return o.clients
        .authorizationUrl(provider, secret, o.providers.redirectUri(providerId), { ...data, state: id })
        .catch(asRefusal);
    },

    async callback(providerId, query, binding, client) {
      const state = query.get('state') ?? '';
      const taken = await o.challenges.take<FlowData>(state, UPSTREAM_PURPOSE);
      if (!taken || taken.data.providerId !== providerId) throw expiredFlow();
      const data = taken.data;
      if (data.binding && (!binding || !same(digest(binding), data.binding))) throw expiredFlow();
      if (query.get('error'))
        throw refused(`The provider did not sign you in (${query.get('error')!.slice(0, 60)}).`, 'provider_error');
      const { provider, secret } = await usable(providerId);
      const callback = new URL(o.providers.redirectUri(providerId));
      callback.search = query.toString();
      const profile = cleanProfile(
        await o.clients
          .exchange(provider, secret, callback, { state, nonce: data.nonce, verifier: data.verifier })
          .catch(asRefusal),
      );
      const withProvider = { ...client, method: 'upstream' as const, providerId };
      if (data.target.kind === 'link') {
        const user = await o.storage.users.byId(data.target.userId);
        if (user?.status !== 'active') throw refused('This account cannot link another sign-in.', 'not_active');
        const linked = await o.storage.identities.find(providerId, profile.subject);
        if (linked && linked.userId !== user.id)
          throw refused(`This ${provider.displayName} account is linked to another account.`, 'identity_linked');
        if (linked) return { target: data.target, user, providerId };
        // A link URL can be carried to someone else's browser: nothing is linked until the person who signed in at
        // the provider confirms, on a page naming both accounts.
        const pending: PendingLink = { userId: user.id, providerId, profile };
        const { id } = await o.challenges.issue(LINK_PURPOSE, pending, user.id);
        const upstreamAccount = profile.email ?? profile.subject;
        return {
          target: data.target,
          user,
          providerId,
          pending: { id, providerName: provider.displayName, upstreamAccount },
        };
      }
      // The console is for staff who have accounts already: a console sign-in never makes one, and signs nobody else
      // in. Who may sign in is judged before an email match links anything.
      const toConsole = data.target.kind === 'console';
      // An organization's provider: its domains' addresses are vouched for by the admin (core/upstream/org-sign-in.ts).
      const org =
        provider.organizationId === null
          ? { rule: provider, profile }
          : await organizationRule(o.storage, provider, profile);
      const rule = toConsole ? { ...org.rule, autoCreate: false } : org.rule;
      const admit = (user: User) => {
        if (user.status !== 'active') throw refused('This account is not active.', 'not_active');
        if (toConsole && ROLE_RANK[user.role] < ROLE_RANK.moderator)
          throw forbidden('The console is for admins and moderators');
        if (o.requireVerifiedEmail && !user.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED');
      };
      const user = await resolveUser(o, rule, org.profile, withProvider, admit);
      admit(user);
      await joinOrganization(o.storage, provider, user, withProvider, new Date(o.now()).toISOString());
      return { target: data.target, user, providerId };
    },

    async handOff(outcome, uid) {
      const data = { userId: outcome.user.id, providerId: outcome.providerId, uid };
      return (await o.challenges.issue(HANDOFF_PURPOSE, data, outcome.user.id)).id;
    },

    async takeHandOff(id, uid) {
      const taken = await o.challenges.take<{ userId: string; providerId: string; uid: string }>(id, HANDOFF_PURPOSE);
      if (!taken || taken.data.uid !== uid) throw expiredFlow();
      const user = await o.storage.users.byId(taken.data.userId);
      if (user?.status !== 'active') throw refused('This account is not active.', 'not_active');
      return { user, providerId: taken.data.providerId };
    },

    async confirmLink(id, client, cancel) {
      const taken = await o.challenges.take<PendingLink>(id, LINK_PURPOSE);
      if (!taken) throw expiredFlow();
      const { userId, providerId, profile } = taken.data;
      const { provider } = await usable(providerId);
      if (cancel) return { linked: false, providerName: provider.displayName };
      const user = await o.storage.users.byId(userId);
      if (user?.status !== 'active') throw refused('This account cannot link another sign-in.', 'not_active');
      const at = new Date(o.now()).toISOString();
      const withProvider = { ...client, method: 'upstream' as const, providerId };
      await o.storage
        .transaction((s) => linkIdentity(s, provider, profile, user, withProvider, at, 'linked'))
        .catch((error) => {
          if (error instanceof AppError && error.code === 'DUPLICATE_RESOURCE')
            throw refused(
              `This ${provider.displayName} account, or another one, is linked already.`,
              'identity_linked',
            );
          throw error;
        });
      return { linked: true, providerName: provider.displayName };
    },

    async signIn(user, providerId, client) {
      const withProvider = { ...client, method: 'upstream' as const, providerId };
      if (user.mfaEnabled) return { mfa: await o.mfa.challenge(user, withProvider) };
      return o.startSession(user, withProvider);
    },
  };
}
