import type { Passkey } from '../../core/passkeys/passkey.types.js';
import type { Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Application, ApplicationChanges } from '../../core/applications/application.types.js';
import type { AuditEvent } from '../../core/audit.js';
import type { SessionInfo } from '../../core/storage.js';
import type { Tokens } from '../../core/auth/tokens.js';
import type { AppError } from '../../core/errors.js';
import type { ApiKey, User } from '../../core/types.js';
import type { UserFields } from '../../core/users/user.rules.js';
import type { UserChanges } from '../../core/users/user.types.js';
import type { PictureUrl } from '../shared/links.js';
import type { PatchApplicationBody } from './applications.schemas.js';
import type { PatchUserBody, UserV1 } from './users.schemas.js';

/** Maps between the core and the /api/v1 wire format. */

export const VERSION = '1.0';
const meta = () => ({ timestamp: new Date().toISOString(), version: VERSION });

export const envelope = <T>(data: T) => ({ data, meta: meta() });

export function userV1(u: User, pictureUrl: PictureUrl): Static<typeof UserV1> {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    phone_number: u.phoneNumber,
    date_of_birth: u.dateOfBirth,
    bio: u.bio,
    profile_picture_url: pictureUrl(u.pictureId),
    role: u.role,
    status: u.status,
    preferences: u.preferences,
    email_verified: u.emailVerified,
    mfa_enabled: u.mfaEnabled,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    last_login: u.lastLoginAt,
    custom_data: u.customData,
    external_id: u.externalId,
  };
}

export const tokensV1 = (t: Tokens) => ({
  access_token: t.accessToken,
  token_type: t.tokenType,
  expires_in: t.expiresIn,
  refresh_token: t.refreshToken,
});

type Body = Static<typeof PatchUserBody>;

/** Wire fields to core fields; absent stays absent, null stays null (clear). custom_data merges unless `replace`. */
export function changesFromV1(
  body: Body,
  customData: 'merge' | 'replace' = 'merge',
): UserFields & Pick<UserChanges, 'currentPassword' | 'customData'> {
  return {
    externalId: body.external_id,
    customData: body.custom_data === undefined ? undefined : { mode: customData, value: body.custom_data },
    username: body.username,
    email: body.email,
    password: body.password,
    firstName: body.first_name,
    lastName: body.last_name,
    phoneNumber: body.phone_number,
    dateOfBirth: body.date_of_birth,
    bio: body.bio,
    role: body.role,
    status: body.status,
    theme: body.preferences?.theme,
    notifications: body.preferences?.notifications,
    currentPassword: body.current_password,
  };
}

export function errorV1(error: AppError, request: FastifyRequest) {
  return {
    error: {
      code: error.code,
      message: error.message,
      details: error.details ?? {},
      timestamp: new Date().toISOString(),
      path: request.url.split('?')[0]!,
    },
  };
}

export const apiKeyV1 = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  created_by: k.createdBy,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
  last_used_at: k.lastUsedAt,
});

export const auditEventV1 = (e: AuditEvent) => ({
  id: e.id,
  type: e.type,
  actor_id: e.actorId,
  target_id: e.targetId,
  ip: e.ip,
  user_agent: e.userAgent,
  created_at: e.createdAt,
  details: e.details,
});

export const sessionV1 = (s: SessionInfo & { current: boolean }) => ({
  id: s.id,
  created_at: s.createdAt,
  last_used_at: s.lastUsedAt,
  expires_at: s.expiresAt,
  ip: s.ip,
  user_agent: s.userAgent,
  current: s.current,
});

export const applicationV1 = (a: Application) => ({
  id: a.id,
  name: a.name,
  type: a.type,
  client_id: a.clientId,
  redirect_uris: a.redirectUris,
  post_logout_redirect_uris: a.postLogoutRedirectUris,
  scopes: a.scopes,
  first_party: a.firstParty,
  logo_uri: a.logoUri,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

/** Wire fields to core fields; absent stays absent, a null logo_uri clears it. */
export const applicationChangesFromV1 = (b: Static<typeof PatchApplicationBody>): ApplicationChanges => ({
  name: b.name,
  redirectUris: b.redirect_uris,
  postLogoutRedirectUris: b.post_logout_redirect_uris,
  scopes: b.scopes,
  firstParty: b.first_party,
  logoUri: b.logo_uri,
});

export const passkeyV1 = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  created_at: p.createdAt,
  last_used_at: p.lastUsedAt,
  device_type: p.deviceType,
  backed_up: p.backedUp,
});
