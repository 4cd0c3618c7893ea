import type { User } from '../types.js';

/**
 * The scopes Usher's provider knows, and the claims each releases (OpenID Connect Core 5.4, plus `roles`,
 * `organizations` and `custom_data`): `roles` releases the team's global role names and their permissions
 * (team-claims.ts) and the built-in role Usher's own API goes by as `usher_role`; `custom_data` the user's custom
 * attributes as one object.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['preferred_username', 'name', 'given_name', 'family_name', 'picture', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number'],
  roles: ['roles', 'permissions', 'usher_role'],
  organizations: ['organizations'],
  custom_data: ['custom_data'],
  offline_access: [],
} as const satisfies Record<string, readonly string[]>;

export type OidcScope = keyof typeof SCOPE_CLAIMS;
export const OIDC_SCOPES = Object.keys(SCOPE_CLAIMS) as OidcScope[];

const fullName = (u: User) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username;

/**
 * A user's claims, every one the scopes could release (the provider filters them by what was granted and asked):
 * `sub` is the user's id; the rest come from the profile as /api/v1 shows it.
 */
export function claimsOf(user: User, pictureUrl: (pictureId: string) => string): Record<string, unknown> {
  return {
    sub: user.id,
    preferred_username: user.username,
    name: fullName(user),
    given_name: user.firstName ?? undefined,
    family_name: user.lastName ?? undefined,
    picture: user.pictureId ? pictureUrl(user.pictureId) : undefined,
    updated_at: Math.floor(Date.parse(user.updatedAt) / 1000),
    email: user.email,
    email_verified: user.emailVerified,
    phone_number: user.phoneNumber ?? undefined,
    usher_role: user.role,
    custom_data: user.customData,
  };
}
