import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../core/users/user.rules.js';
import {
  CursorQuery,
  Nullable,
  PageSize,
  RoleSchema,
  RuleString,
  SearchQuery,
  StatusSchema,
  Timestamp,
  UserId,
} from '../shared/schemas.js';

/** Wire shapes of /v1 (users-api-keyed.md): bare objects, nested profile, limit/offset. */

export const Profile = Type.Object(
  {
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    avatar_url: Nullable(Type.String()),
  },
  { title: 'KeyedProfile' },
);

const base = {
  id: UserId(),
  username: Type.String(),
  email: Type.String(),
  status: StatusSchema,
  role: RoleSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const UserSummary = Type.Object(base, { title: 'KeyedUserSummary' });
export const UserDetail = Type.Object(
  { ...base, email_verified: Type.Boolean(), profile: Profile, last_login: Nullable(Timestamp) },
  { title: 'KeyedUser' },
);

export const UserList = Type.Object(
  {
    users: Type.Array(UserSummary),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
    next_cursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page (keyset pagination); null on the last page' }),
    ),
  },
  { title: 'KeyedUserList' },
);

export const ListQuery = Type.Object({
  limit: PageSize,
  // The default is the document's only ('x-default'): filled in by the validator, it would clash with cursor.
  offset: Type.Optional(
    Type.Integer({ minimum: 0, maximum: LIMITS.offsetMax, 'x-default': 0, description: 'Not with cursor' }),
  ),
  status: Type.Optional(StatusSchema),
  role: Type.Optional(RoleSchema),
  search: Type.Optional(SearchQuery),
  cursor: Type.Optional(CursorQuery('next_cursor of the previous page (keyset pagination); not with offset')),
});

const ProfileInput = Type.Object(
  {
    first_name: Type.Optional(Nullable(RuleString('name'))),
    last_name: Type.Optional(Nullable(RuleString('name'))),
    phone: Type.Optional(
      Nullable(RuleString('phone', { description: 'International number, 7-15 digits, e.g. +1-555-0123' })),
    ),
  },
  { additionalProperties: false, title: 'KeyedProfileInput' },
);

export const CreateBody = Type.Object(
  {
    username: RuleString('username'),
    email: RuleString('email'),
    password: RuleString('password'),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(StatusSchema),
    profile: Type.Optional(ProfileInput),
  },
  { additionalProperties: false, title: 'KeyedCreateUser' },
);

export const UpdateBody = Type.Object(
  {
    email: Type.Optional(RuleString('email')),
    status: Type.Optional(StatusSchema),
    role: Type.Optional(RoleSchema),
    profile: Type.Optional(ProfileInput),
  },
  {
    additionalProperties: false,
    title: 'KeyedUpdateUser',
    description: 'Changes only the given fields; null clears a profile field.',
  },
);

export const Deleted = Type.Object({ message: Type.String(), deleted_at: Timestamp });

export const LoginResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
    user: Type.Object({ id: UserId(), username: Type.String(), role: RoleSchema }),
  },
  { title: 'KeyedLoginResponse' },
);

export const Message = Type.Object({ message: Type.String() });

export const ErrorKeyed = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
      retry_after: Type.Optional(Type.Integer({ description: 'On 429: seconds until a retry may succeed' })),
    }),
  },
  { title: 'KeyedError' },
);
