export const ROLES = ['admin', 'moderator', 'user'] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = ['active', 'inactive', 'suspended', 'pending'] as const;
export type Status = (typeof STATUSES)[number];

export interface Preferences {
  theme: string;
  notifications: boolean;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({ theme: 'system', notifications: true });

/** A user as the core sees it. Never carries a password hash. */
export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
  status: Status;
  firstName: string | null;
  lastName: string | null;
  phoneNumber: string | null;
  dateOfBirth: string | null;
  bio: string | null;
  pictureId: string | null;
  preferences: Preferences;
  hasPassword: boolean;
  /** The user proved they receive mail at `email` (a code sent there), or an admin made the account. */
  emailVerified: boolean;
  /** A second factor (TOTP) is on. */
  mfaEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  /** The id another system knows the user by (SCIM's externalId); unique when set. */
  externalId: string | null;
  /** The team's own attributes (a JSON object, `{}` when none). */
  customData: Record<string, unknown>;
}

/**
 * Who is making a request: a user through a session, or an API key. A key has
 * no self: it acts only through its role (capped at its creator's), never as
 * its creator's account, so `userId` is null for it.
 */
export interface Principal {
  userId: string | null;
  role: Role;
  sessionId: string | null;
  apiKeyId: string | null;
  /** When the session's user last gave their password (epoch ms); null for keys. Refreshing does not move it. */
  authAt: number | null;
  /** Where the request came from (for the audit trail); set by the HTTP layer. */
  client?: ClientInfo;
}

/**
 * The service acting for itself, not for a caller: the account flows once a
 * code proved the client, the bootstrap admin, the `usher` command's own
 * lookups. It has every right (an admin's role) and no self: the audit trail
 * names no actor for it (`actor_id` null), only the client it names here.
 */
export const systemPrincipal = (client?: ClientInfo): Principal => ({
  userId: null,
  role: 'admin',
  sessionId: null,
  apiKeyId: null,
  authAt: null,
  ...(client && { client }),
});

export const ROLE_RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 };

/** How a sign-in proved who the user is. */
export type SignInMethod = 'password' | 'passkey' | 'email' | 'upstream';

/** Where a request came from, as the HTTP layer saw it. */
export interface ClientInfo {
  ip: string;
  userAgent?: string | null;
  /** How a sign-in proved who the user is (audited with the login; `password` when unsaid). */
  method?: SignInMethod;
  /** The upstream identity provider's id, for `method: 'upstream'`. */
  providerId?: string;
  /** The OpenID application (client_id) a sign-in on the hosted pages was for. */
  applicationId?: string;
}

/** A picture as stored: checked by its content (users/picture.ts). */
export interface Picture {
  contentType: string;
  data: Buffer;
}

/** An API key as listed: never its secret, which only its hash stands for. */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
