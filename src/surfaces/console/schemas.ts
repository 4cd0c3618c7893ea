import { Type } from '@sinclair/typebox';
import { LoginVerifyBody } from '../api-v1/passkeys.schemas.js';
import { UserV1 } from '../api-v1/users.schemas.js';
import { MfaRequired } from '../shared/schemas.js';

/**
 * Wire shapes of the console's session API (/console/api/session): the /api/v1 user and error, an access token in the
 * body, the refresh token in a cookie.
 */

export const SignInBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 320, description: 'Username or email' }),
    password: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false, title: 'ConsoleSignIn' },
);
export const MfaBody = Type.Object(
  {
    mfa_token: Type.String({ maxLength: 200 }),
    code: Type.String({ maxLength: 16, description: 'A TOTP code or a recovery code' }),
  },
  { additionalProperties: false, title: 'ConsoleMfa' },
);
/** The browser's answer to the options of /api/v1/auth/passkeys/login/options, as /api/v1 takes it. */
export const PasskeySignInBody = Type.Object(LoginVerifyBody.properties, {
  additionalProperties: false,
  title: 'ConsolePasskeySignIn',
});
export const ConsoleSession = Type.Object(
  {
    access_token: Type.String({
      description: 'Kept in memory by the console; the refresh token is in the httpOnly cookie',
    }),
    expires_in: Type.Integer(),
    user: UserV1,
  },
  { title: 'ConsoleSession' },
);
export const SignedIn = Type.Union([ConsoleSession, MfaRequired]);
export const ConsoleHeaders = Type.Object({
  'x-usher-console': Type.Literal('1', {
    description: 'Required: a page on another site cannot send it (CSRF), the cookie is also SameSite=Strict',
  }),
});
