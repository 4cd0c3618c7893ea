import type { OidcArtifact, Storage } from '../storage.js';
import type { IdentityService } from './identity.service.js';

/** A payload as the OpenID provider stores it: the fields Usher reads to look it up and judge it. */
export interface ArtifactPayload {
  [key: string]: unknown;
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  clientId?: string;
  sessionUid?: string;
  consumed?: unknown;
}

/** The provider's artifacts (oidc-provider's adapter, one per kind), with Usher's rules on what is still live. */
export interface OidcArtifacts {
  upsert(kind: string, id: string, payload: ArtifactPayload, expiresIn: number): Promise<void>;
  find(kind: string, id: string): Promise<ArtifactPayload | undefined>;
  findByUserCode(kind: string, userCode: string): Promise<ArtifactPayload | undefined>;
  findByUid(kind: string, uid: string): Promise<ArtifactPayload | undefined>;
  consume(kind: string, id: string): Promise<void>;
  destroy(kind: string, id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
/** Kinds issued under a browser sign-in: they live only while the Usher session behind it does. */
const UNDER_SESSION = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode']);

/**
 * Stored in Usher's database, so every instance sees what any issued. What
 * was issued under a sign-in is found only while the Usher session that
 * sign-in started is live: logging out, revoking the session (by its owner
 * or an admin), or suspending or deleting the user ends its codes and tokens
 * at once, on every instance (the session state is cached ≤ 1 s and dropped
 * by the bus). A browser session whose Usher session ended is not found
 * either, so the next authorization asks for a sign-in again.
 */
export function oidcArtifacts(storage: Storage, identity: IdentityService, now: () => number): OidcArtifacts {
  const iso = (ms = now()) => new Date(ms).toISOString();

  async function judged(kind: string, row: { payload: string; consumedAt: string | null } | undefined) {
    if (!row) return undefined;
    const payload = JSON.parse(row.payload) as ArtifactPayload;
    if (row.consumedAt) payload.consumed = Math.floor(Date.parse(row.consumedAt) / 1000);
    if (UNDER_SESSION.has(kind) && payload.sessionUid && !(await identity.linkedSessionLive(payload.sessionUid)))
      return undefined;
    if (kind === 'Session' && payload.uid && payload.accountId && !(await identity.linkedSessionLive(payload.uid)))
      return undefined;
    return payload;
  }

  return {
    async upsert(kind, id, payload, expiresIn) {
      const artifact: OidcArtifact = {
        payload: JSON.stringify(payload),
        grantId: str(payload.grantId),
        userCode: str(payload.userCode),
        uid: str(payload.uid),
        accountId: str(payload.accountId),
        clientId: str(payload.clientId),
        expiresAt: expiresIn ? iso(now() + expiresIn * 1000) : null,
      };
      await storage.oidc.upsert(kind, id, artifact);
    },
    find: async (kind, id) => judged(kind, await storage.oidc.find(kind, id, iso())),
    findByUserCode: async (kind, code) => judged(kind, await storage.oidc.findByUserCode(kind, code, iso())),
    findByUid: async (kind, uid) => judged(kind, await storage.oidc.findByUid(kind, uid, iso())),
    consume: (kind, id) => storage.oidc.consume(kind, id, iso()),
    destroy: (kind, id) => storage.oidc.destroy(kind, id),
    revokeByGrantId: (grantId) => storage.oidc.revokeByGrantId(grantId),
  };
}
