import { auditEvent, sourceOf } from '../audit.js';
import { teamClaims } from './team-claims.js';
import { notFound, unauthenticated } from '../errors.js';
import type { EventBus } from '../events.js';
import { StateCache } from '../state-cache.js';
import type { OidcConsent, SessionState, Storage } from '../storage.js';
import type { ClientInfo, Principal, User } from '../types.js';

/**
 * What the OpenID provider needs from the core: the users it signs in, the
 * Usher session behind each browser sign-in (so ending that session ends what
 * the provider issued under it, on every instance), and the consents users
 * give third-party applications.
 */
export interface IdentityService {
  /** An active user by id, else undefined (a suspended or deleted user has no claims and no tokens). */
  activeUser(userId: string): Promise<User | undefined>;
  /** Links the provider's browser session to the Usher session its sign-in started; ends the one it replaces. */
  linkSession(uid: string, sessionId: string, userId: string, client: ClientInfo): Promise<void>;
  /** Whether the Usher session behind a provider session is live (cached ≤ 1 s; ended sessions dropped at once). */
  linkedSessionLive(uid: string): Promise<boolean>;
  /** The Usher session behind a provider session, when it is live. */
  linkedSession(uid: string): Promise<SessionState | undefined>;
  /** RP-initiated logout: ends the Usher session behind a provider session. */
  endLinkedSession(uid: string, client: ClientInfo): Promise<void>;
  /** The scopes a user allowed an application, when remembered. */
  rememberedConsent(userId: string, clientId: string): Promise<string[] | undefined>;
  rememberConsent(userId: string, clientId: string, scopes: string[], client: ClientInfo): Promise<void>;
  /** The caller's own consents, with the application each was given to. */
  consents(actor: Principal): Promise<Array<OidcConsent & { applicationId: string; applicationName: string }>>;
  /** The claims of the team's roles and organizations the scope releases (team-claims.ts). */
  teamClaims(userId: string, scope: string): Promise<Record<string, unknown>>;
  /** A token revoked at the provider's revocation endpoint, in the audit trail. */
  tokenRevoked(userId: string | null, clientId: string, kind: string, client: ClientInfo): Promise<void>;
  /** Withdraws a consent and revokes every grant (and so every token) it made. */
  revokeConsent(actor: Principal, applicationId: string): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface IdentityDeps {
  storage: Storage;
  bus: EventBus;
  now: () => number;
}

export function createIdentityService({ storage, bus, now }: IdentityDeps): IdentityService {
  const iso = () => new Date(now()).toISOString();
  const sessions = new StateCache((id) => storage.sessions.state(id), now);
  sessions.listen(bus, ['user'], (s, e) => s.userId === e.id);
  const links = new StateCache((uid) => storage.oidc.linkOf(uid), now, 1000, 20_000, false);
  const live = (s: SessionState | undefined) => !!s && !s.ended && s.status === 'active' && s.expiresAt > iso();

  async function end(sessionId: string, reason: 'logout' | 'replaced', client: ClientInfo, actorId: string | null) {
    const at = iso();
    await storage.transaction(async (s) => {
      const userId = await s.sessions.revoke(sessionId, at, reason);
      if (!userId) return;
      const type = reason === 'logout' ? 'user.logout' : 'session.revoked';
      await s.audit.record(
        auditEvent({ actorId, client }, { type, targetId: userId, details: { session_id: sessionId, reason } }, at),
      );
    });
    bus.publish({ kind: 'session', id: sessionId });
  }

  const linked = async (uid: string) => {
    const link = await links.get(uid);
    return link && (await sessions.get(link.sessionId));
  };

  return {
    teamClaims: (userId, scope) => teamClaims(storage, userId, scope),
    async activeUser(userId) {
      const user = await storage.users.byId(userId);
      return user?.status === 'active' ? user : undefined;
    },
    async linkSession(uid, sessionId, userId, client) {
      const replaced = await storage.oidc.link(uid, sessionId, userId, iso());
      links.forget(uid);
      if (replaced) await end(replaced, 'replaced', client, userId);
    },
    async linkedSessionLive(uid) {
      return live(await linked(uid));
    },
    async linkedSession(uid) {
      const state = await linked(uid);
      return live(state) ? state : undefined;
    },
    async endLinkedSession(uid, client) {
      const state = await linked(uid);
      if (state && live(state)) await end(state.sessionId, 'logout', client, state.userId);
    },
    async rememberedConsent(userId, clientId) {
      return (await storage.oidc.consent(userId, clientId))?.scopes;
    },
    async rememberConsent(userId, clientId, scopes, client) {
      const at = iso();
      await storage.transaction(async (s) => {
        await s.oidc.putConsent(userId, clientId, scopes, at);
        await s.audit.record(
          auditEvent(
            { actorId: userId, client },
            { type: 'consent.granted', targetId: userId, details: { client_id: clientId, scopes } },
            at,
          ),
        );
      });
    },
    async tokenRevoked(userId, clientId, kind, client) {
      await storage.audit.record(
        auditEvent(
          { actorId: null, client },
          { type: 'oidc.token_revoked', targetId: userId, details: { client_id: clientId, token_type: kind } },
          iso(),
        ),
      );
    },
    async consents(actor) {
      if (!actor.userId) throw unauthenticated('Consents belong to a signed-in user');
      const listed = [];
      for (const consent of await storage.oidc.consents(actor.userId)) {
        const app = await storage.applications.findByClientId(consent.clientId);
        if (app) listed.push({ ...consent, applicationId: app.id, applicationName: app.name });
      }
      return listed;
    },
    async revokeConsent(actor, applicationId) {
      const userId = actor.userId;
      if (!userId) throw unauthenticated('Consents belong to a signed-in user');
      const app = UUID.test(applicationId) ? await storage.applications.find(applicationId) : undefined;
      if (!app) throw notFound('Consent');
      const clientId = app.clientId;
      const at = iso();
      await storage.transaction(async (s) => {
        if (!(await s.oidc.deleteConsent(userId, clientId))) throw notFound('Consent');
        for (const grantId of await s.oidc.grantIdsOf(userId, clientId)) await s.oidc.revokeByGrantId(grantId);
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            { type: 'consent.revoked', targetId: userId, details: { client_id: clientId } },
            at,
          ),
        );
      });
    },
  };
}
