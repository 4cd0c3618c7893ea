import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../core/users/user.rules.js';
import { LoginBody, Nullable, RuleString } from '../shared/schemas.js';
import { Envelope } from './schemas.js';

/** Signing in and proving who one is on /api/v1: tokens, mailed codes, the second factor. */

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
  },
  { title: 'ApiV1Tokens' },
);

const OrganizationId = Type.String({
  minLength: 1,
  maxLength: 64,
  description:
    "The organization the session's tokens are for: they carry org_id, org_roles and org_permissions (403 unless a member)",
});

export const LoginV1Body = Type.Object(
  { ...LoginBody.properties, organization_id: Type.Optional(OrganizationId) },
  {
    additionalProperties: false,
    title: 'ApiV1LoginRequest',
    description: 'Log in with username or email, plus password; organization_id asks for tokens of that organization.',
  },
);

export const RefreshBody = Type.Object(
  {
    refresh_token: Type.String(),
    organization_id: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 64,
          description:
            "Switch the session to this organization (403 unless a member; nothing changes then); null: to none; absent: keep the session's",
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const LogoutBody = Type.Object({ refresh_token: Type.Optional(Type.String()) }, { additionalProperties: false });

const Code = Type.String({ minLength: 1, maxLength: 16, description: 'The code from the mail' });

const EmailField = Type.String({
  maxLength: LIMITS.emailMax,
  description: "The account's email (any address gets the same answer)",
});

export const EmailBody = Type.Object({ email: EmailField }, { additionalProperties: false });

export const VerifyEmailBody = Type.Object({ email: EmailField, code: Code }, { additionalProperties: false });

export const PasswordResetBody = Type.Object(
  { email: EmailField, code: Code, new_password: RuleString('password') },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object({ password: Type.String() }, { additionalProperties: false });

export const TotpCodeBody = Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: false });

export const MfaVerifyBody = Type.Object(
  {
    mfa_token: Type.String({ maxLength: 200 }),
    code: Type.Optional(Type.String({ maxLength: 16 })),
    recovery_code: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false, description: 'The mfa_token of the login, and either a TOTP code or a recovery code' },
);

export const TotpSetup = Envelope(
  Type.Object({
    secret: Type.String({ description: 'Base32; for authenticators that take the secret by hand' }),
    otpauth_url: Type.String(),
    qr_svg: Type.String({ description: 'The otpauth URL as a QR code (SVG)' }),
  }),
);

export const RecoveryCodes = Envelope(
  Type.Object({ recovery_codes: Type.Array(Type.String(), { description: 'Each works once; shown only now' }) }),
);
