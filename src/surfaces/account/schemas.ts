import { Type } from '@sinclair/typebox';
import { PICTURE_MAX_BYTES } from '../../core/users/picture.js';
import { CurrentPassword, Nullable, PreferencesSchema, RoleSchema, StatusSchema, Timestamp } from '../shared/schemas.js';

/** Wire shapes of the account API (account-api.md). */

const image = Type.String({ description: `Base64 PNG, JPEG, WebP or GIF (a data: URL prefix is accepted), at most ${PICTURE_MAX_BYTES / 1024 / 1024} MB decoded` });

export const RegisterBody = Type.Object(
  {
    username: Type.String(),
    password: Type.String(),
    email: Type.String(),
    first_name: Type.Optional(Nullable(Type.String())),
    last_name: Type.Optional(Nullable(Type.String())),
    image: Type.Optional(image),
  },
  { additionalProperties: false },
);

export const ProfileBody = Type.Object(
  {
    username: Type.Optional(Type.String()),
    first_name: Type.Optional(Nullable(Type.String())),
    last_name: Type.Optional(Nullable(Type.String())),
    email: Type.Optional(Type.String()),
    image: Type.Optional(Nullable(image)),
    current_password: Type.Optional(CurrentPassword),
  },
  { additionalProperties: false, description: 'Only the given fields change; image null removes the picture.' },
);

export const ChangePasswordBody = Type.Object({ old_password: Type.String(), new_password: Type.String() }, { additionalProperties: false });

export const AccountProfile = Type.Object({
  id: Type.String(),
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
});

export const Registered = Type.Object({ message: Type.String(), user: AccountProfile });

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'The access token; send it as `Authorization: Token <token>` (or Bearer)' }),
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
});

export const Message = Type.Object({ message: Type.String() });
