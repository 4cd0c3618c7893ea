import type { Config } from '../../config.js';
import { auditEvent } from '../audit.js';
import type { SessionStarter } from '../auth/session-start.js';
import { AppError, notFound } from '../errors.js';
import { selfOf } from '../policy.js';
import { createOutbound } from '../security/outbound.js';
import type { SecretBox } from '../security/secret-box.js';
import { createChallenges } from '../sign-in/challenges.js';
import { assertAnotherWay } from '../sign-in/ways.js';
import type { LinkedIdentity, Storage } from '../storage.js';
import type { Principal } from '../types.js';
import type { UserService } from '../users/user.service.js';
import { type UpstreamFlow, upstreamFlow } from './flow.js';
import { type OrgSsoService, createOrgSsoService } from './org-sso.service.js';
import { type ProviderService, createProviderService } from './provider.service.js';
import { upstreamClients } from './upstream-client.js';
import type { MfaService } from '../auth/mfa.service.js';

/** Upstream identity providers (core/upstream): the admins' providers, the sign-in flow, users' linked identities. */
export interface Upstream {
  providers: ProviderService;
  /** Organizations' own providers (single sign-on per organization, home realm discovery). */
  orgSso: OrgSsoService;
  flow: UpstreamFlow;
  /** The signed-in user's linked identities. */
  identities(actor: Principal): Promise<LinkedIdentity[]>;
  /** A user's identities, for admins (/api/v1/users/{id}). */
  identitiesOf(userId: string): Promise<LinkedIdentity[]>;
  /** Starts linking a provider to the signed-in user (a recent sign-in needed): the URL to open. */
  startLink(actor: Principal, providerId: string): Promise<URL>;
  /** Unlinks; refused when it is the user's last way to sign in. */
  unlink(actor: Principal, providerId: string): Promise<void>;
}

export function createUpstream(o: {
  config: Config;
  storage: Storage;
  box: SecretBox;
  users: UserService;
  startSession: SessionStarter;
  mfa: Pick<MfaService, 'challenge'>;
  assertRecentSignIn(actor: Principal): void;
  now: () => number;
}): Upstream {
  const { storage, now } = o;
  const providers = createProviderService({
    storage,
    box: o.box,
    now,
    callbackBase: (o.config.publicUrl ?? o.config.issuer).replace(/\/+$/, ''),
  });
  const clients = upstreamClients(createOutbound(o.config.outbound), now);
  providers.onChange((id) => clients.forget(id));
  const orgSso = createOrgSsoService({ storage, box: o.box, now, changed: (id) => clients.forget(id) });
  const flow = upstreamFlow({
    storage,
    users: o.users,
    providers,
    clients,
    challenges: createChallenges(storage, now),
    startSession: o.startSession,
    mfa: o.mfa,
    requireVerifiedEmail: o.config.requireVerifiedEmail,
    now,
  });
  return {
    providers,
    orgSso,
    flow,
    identities: (actor) => storage.identities.listOf(selfOf(actor)),
    identitiesOf: (userId) => storage.identities.listOf(userId),
    async startLink(actor, providerId) {
      const userId = selfOf(actor);
      o.assertRecentSignIn(actor);
      // The cause of a provider's failure is for the operator's log, not the API's answer.
      return flow.start(providerId, { kind: 'link', userId }, null).catch((error: unknown) => {
        if (error instanceof AppError && error.details?.cause !== undefined)
          throw new AppError(error.code, error.message, { reason: error.details.reason });
        throw error;
      });
    },
    async unlink(actor, providerId) {
      const userId = selfOf(actor);
      await storage.transaction(async (s) => {
        // The user's row locked first, as every removal of a way to sign in does: two at once cannot both pass.
        if (!(await s.users.byIdForUpdate(userId))) throw notFound('Linked identity', providerId);
        const mine = await s.identities.listOf(userId);
        if (!mine.some((i) => i.providerId === providerId)) throw notFound('Linked identity', providerId);
        await assertAnotherWay(s, userId, { identity: true });
        const removed = await s.identities.remove(userId, providerId);
        if (!removed) throw notFound('Linked identity', providerId);
        await s.audit.record(
          auditEvent(
            { actorId: userId, client: actor.client ?? null },
            {
              type: 'identity.unlinked',
              targetId: userId,
              details: { provider_id: providerId, provider_type: removed.providerType },
            },
            new Date(now()).toISOString(),
          ),
        );
      });
    },
  };
}
