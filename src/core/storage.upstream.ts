/** The storage interface of upstream identity providers (re-exported by storage.ts). */

/** Kinds of provider: any OpenID provider (`oidc`), its presets, and GitHub's OAuth 2.0 with its APIs. */
export const PROVIDER_TYPES = ['oidc', 'google', 'microsoft', 'github'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** An upstream identity provider as the core sees it; its client secret is never part of it. */
export interface IdentityProvider {
  id: string;
  type: ProviderType;
  /** The OpenID issuer (oidc, google, microsoft); null for github. */
  issuer: string | null;
  clientId: string;
  /** Whether a client secret is stored (it is never read back out but to call the provider). */
  hasSecret: boolean;
  scopes: string[];
  displayName: string;
  enabled: boolean;
  autoCreate: boolean;
  /** github only: GitHub's (or GitHub Enterprise's) addresses; null elsewhere. */
  authorizationUrl: string | null;
  tokenUrl: string | null;
  apiUrl: string | null;
  createdAt: string;
  updatedAt: string;
  /** The organization whose single sign-on this is (reached by its email domains only); null for the deployment's own. */
  organizationId: string | null;
  /** Organization providers only: the organization's members may not sign in with a password. */
  enforced: boolean;
}

export interface IdentityProviderStore {
  /** `secret`: the client secret as stored (sealed by the core), or null. */
  insert(provider: IdentityProvider, secret: string | null): Promise<void>;
  /** The provider and its stored (sealed) secret. */
  find(id: string): Promise<{ provider: IdentityProvider; secret: string | null } | undefined>;
  /** The deployment's own providers (no organization's), oldest first (a handful per deployment). */
  list(): Promise<IdentityProvider[]>;
  /** `secret` undefined leaves it as it is; null removes it. */
  update(provider: IdentityProvider, secret: string | null | undefined): Promise<void>;
  /** Also unlinks every identity at it (foreign key cascade); false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Every stored secret as it is (the start seals plain ones when USHER_SECRETS_KEY is set). */
  secrets(): Promise<Array<{ id: string; secret: string }>>;
  /** Replaces a secret only if it is still `was`. */
  reseal(id: string, was: string, now: string): Promise<void>;
}

/** A user's account at an upstream provider. */
export interface LinkedIdentity {
  providerId: string;
  providerType: ProviderType;
  /** The provider's display name (for lists). */
  providerName: string;
  subject: string;
  userId: string;
  email: string | null;
  linkedAt: string;
}
