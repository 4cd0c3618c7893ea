/** What the OpenID provider keeps (src/storage/oidc.store.ts): see migration 0012 for each table's purpose. */

/** One artifact of the provider, with the fields it is looked up by. */
export interface OidcArtifact {
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  accountId: string | null;
  clientId: string | null;
  expiresAt: string | null;
}

export interface OidcFound {
  payload: string;
  consumedAt: string | null;
}

export interface OidcConsent {
  clientId: string;
  scopes: string[];
  createdAt: string;
  updatedAt: string;
}

export interface OidcStore {
  upsert(kind: string, id: string, artifact: OidcArtifact): Promise<void>;
  /** An unexpired artifact by id (or by its user code, or by its uid), else undefined. */
  find(kind: string, id: string, now: string): Promise<OidcFound | undefined>;
  findByUserCode(kind: string, userCode: string, now: string): Promise<OidcFound | undefined>;
  findByUid(kind: string, uid: string, now: string): Promise<OidcFound | undefined>;
  consume(kind: string, id: string, at: string): Promise<void>;
  destroy(kind: string, id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
  /** The grants a user gave an application (to withdraw a consent). */
  grantIdsOf(userId: string, clientId: string): Promise<string[]>;
  /** Links a provider session to the Usher session its sign-in started; answers the one it replaces, if any. */
  link(uid: string, sessionId: string, userId: string, at: string): Promise<string | undefined>;
  linkOf(uid: string): Promise<{ sessionId: string; userId: string } | undefined>;
  consents(userId: string): Promise<OidcConsent[]>;
  consent(userId: string, clientId: string): Promise<OidcConsent | undefined>;
  putConsent(userId: string, clientId: string, scopes: string[], at: string): Promise<void>;
  /** True when there was one to delete. */
  deleteConsent(userId: string, clientId: string): Promise<boolean>;
  putRefreshAnswer(tokenHash: string, sealed: string, expiresAt: string): Promise<void>;
  refreshAnswer(tokenHash: string, now: string): Promise<string | undefined>;
  /** Deletes what has expired; answers how many rows went. */
  sweep(now: string): Promise<number>;
}
