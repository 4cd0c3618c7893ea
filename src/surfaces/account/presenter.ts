import type { Static } from '@sinclair/typebox';
import type { Tokens } from '../../core/auth/tokens.js';
import type { User } from '../../core/types.js';
import type { PictureUrl } from '../shared/links.js';
import type { AccountProfile, LoginResponse } from './schemas.js';

/** Maps between the core and the account API's wire format. */

export const accountProfile = (u: User, pictureUrl: PictureUrl): Static<typeof AccountProfile> => ({
  id: u.id,
  username: u.username,
  email: u.email,
  first_name: u.firstName,
  last_name: u.lastName,
  image: pictureUrl(u.pictureId),
  role: u.role,
  status: u.status,
  preferences: u.preferences,
  date_joined: u.createdAt,
  updated_at: u.updatedAt,
  last_login: u.lastLoginAt,
});

export const loginAccount = (t: Tokens): Static<typeof LoginResponse> => ({
  token: t.accessToken,
  access_token: t.accessToken,
  token_type: t.tokenType,
  expires_in: t.expiresIn,
  refresh_token: t.refreshToken,
});
