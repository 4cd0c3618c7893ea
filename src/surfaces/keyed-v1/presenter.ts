import type { Static } from '@sinclair/typebox';
import type { Tokens } from '../../core/auth/tokens.js';
import type { AppError } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { User } from '../../core/types.js';
import type { UserFields } from '../../core/users/user.rules.js';
import type { PictureUrl } from '../shared/links.js';
import type { LoginResponse, UpdateBody, UserDetail, UserSummary } from './schemas.js';

/** Maps between the core and the /v1 wire format. */

// Canonical field names as /v1 spells them.
const FIELD_NAMES: Record<string, string> = {
  first_name: 'profile.first_name',
  last_name: 'profile.last_name',
  phone_number: 'profile.phone',
};

export const userSummary = (u: User): Static<typeof UserSummary> => ({
  id: u.id,
  username: u.username,
  email: u.email,
  status: u.status,
  role: u.role,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export const userDetail = (u: User, pictureUrl: PictureUrl): Static<typeof UserDetail> => ({
  ...userSummary(u),
  email_verified: u.emailVerified,
  profile: {
    first_name: u.firstName,
    last_name: u.lastName,
    phone: u.phoneNumber,
    avatar_url: pictureUrl(u.pictureId),
  },
  last_login: u.lastLoginAt,
});

export function changesFromKeyed(body: Static<typeof UpdateBody>): UserFields {
  return {
    email: body.email,
    status: body.status,
    role: body.role,
    firstName: body.profile?.first_name,
    lastName: body.profile?.last_name,
    phoneNumber: body.profile?.phone,
  };
}

/**
 * As users-api-keyed.md lists: a malformed request or bad query parameter is
 * 400, a field that fails validation is 422 VALIDATION_ERROR.
 */
export const statusKeyed = (error: AppError): number =>
  error.code === 'VALIDATION_ERROR' && error.scope === 'fields' ? 422 : statusOf(error);

/** `{error: {code, message, details: [{field, message}]}}`; a 429 also carries `retry_after`. */
export function errorKeyed(error: AppError) {
  let details: Array<{ field: string; message: string }> = [];
  if (error.code === 'DUPLICATE_RESOURCE') details = [{ field: String(error.details?.field), message: error.message }];
  else if (error.code === 'VALIDATION_ERROR' || error.code === 'RESOURCE_NOT_FOUND') {
    details = Object.entries(error.details ?? {}).map(([field, message]) => ({
      field: FIELD_NAMES[field] ?? field,
      message: String(message),
    }));
  }
  const retryAfter = error.details?.retry_after;
  return {
    error: {
      code: error.code,
      message: error.message,
      details,
      ...(typeof retryAfter === 'number' && { retry_after: retryAfter }),
    },
  };
}

export const loginKeyed = (t: Tokens, u: User): Static<typeof LoginResponse> => ({
  access_token: t.accessToken,
  token_type: 'bearer',
  expires_in: t.expiresIn,
  refresh_token: t.refreshToken,
  user: { id: u.id, username: u.username, role: u.role },
});
