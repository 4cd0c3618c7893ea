import type { Tokens } from '../../core/auth/tokens.js';
import type { User } from '../../core/types.js';
import { userV1 } from '../api-v1/presenter.js';
import type { PictureUrl } from '../shared/links.js';

/**
 * Maps the core to the console's session API: the access token and the /api/v1 user (the refresh token travels in a
 * cookie).
 */
export const consoleSession = (tokens: Tokens, user: User, pictureUrl: PictureUrl) => ({
  access_token: tokens.accessToken,
  expires_in: tokens.expiresIn,
  user: userV1(user, pictureUrl),
});
