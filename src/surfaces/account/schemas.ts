import { Type } from '@sinclair/typebox';
import { PICTURE_MAX_BYTES } from '../../core/users/picture.js';
import {
  CurrentPassword,
  Nullable,
  PreferencesSchema,
  RoleSchema,
  RuleString,
  StatusSchema,
  Timestamp,
  UserId,
} from '../shared/schemas.js';

/** Wire shapes of the account API (account-api.md). */

const image = Type.String({
  description: `Base64 PNG, JPEG, WebP or GIF (a data: URL prefix is accepted), at most ${PICTURE_MAX_BYTES / 1024 / 1024} MB decoded`,
});

export const RegisterBody = Type.Object(
  {
    username: RuleString('username'),
    password: RuleString('password'),
    email: RuleString('email'),
    first_name: Type.Optional(Nullable(RuleString('name'))),
    last_name: Type.Optional(Nullable(RuleString('name'))),
    image: Type.Optional(image),
  },
  { additionalProperties: false, title: 'AccountRegister' },
);

export const ProfileBody = Type.Object(
  {
    username: Type.Optional(RuleString('username')),
    first_name: Type.Optional(Nullable(RuleString('name'))),
    last_name: Type.Optional(Nullable(RuleString('name'))),
    email: Type.Optional(RuleString('email')),
    image: Type.Optional(Nullable(image)),
    current_password: Type.Optional(CurrentPassword),
  },
  {
    additionalProperties: false,
    title: 'AccountProfileUpdate',
    description: 'Only the given fields change; image null removes the picture.',
  },
);

export const ChangePasswordBody = Type.Object(
  { old_password: Type.String(), new_password: RuleString('password') },
  { additionalProperties: false, title: 'AccountChangePassword' },
);

export const AccountProfile = Type.Object(
  {
    id: UserId(),
    username: Type.String(),
    email: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    image: Nullable(Type.String({ description: 'URL of the stored picture' })),
    role: RoleSchema,
    status: StatusSchema,
    preferences: PreferencesSchema,
    date_joined: Timestamp,
    updated_at: Timestamp,
    last_login: Nullable(Timestamp),
  },
  { title: 'AccountProfile' },
);

export const Registered = Type.Object({ message: Type.String(), user: AccountProfile });

export const LoginResponse = Type.Object(
  {
    token: Type.String({ description: 'The access token; send it as `Authorization: Token <token>` (or Bearer)' }),
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
  },
  { title: 'AccountLoginResponse' },
);

export const Message = Type.Object({ message: Type.String() });
/** Logout needs no body; clients that send one (often `{}`) may, and its fields are ignored. */
export const LogoutBody = Type.Object({}, { additionalProperties: true, description: 'Optional and ignored' });
