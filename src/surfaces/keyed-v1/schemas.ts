import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../core/users/user.rules.js';
import { CursorQuery, Nullable, PageSize, RoleSchema, SearchQuery, StatusSchema, Timestamp } from '../shared/schemas.js';

/** Wire shapes of /v1 (users-api-keyed.md): bare objects, nested profile, limit/offset. */

export const Profile = Type.Object({
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
});

const base = {
  id: Type.String(),
  username: Type.String(),
  email: Type.String(),
  status: StatusSchema,
  role: RoleSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const UserSummary = Type.Object(base);
export const UserDetail = Type.Object({ ...base, email_verified: Type.Boolean(), profile: Profile, last_login: Nullable(Timestamp) });

export const UserList = Type.Object({
  users: Type.Array(UserSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page (keyset pagination); null on the last page' })),
});

export const ListQuery = Type.Object({
  limit: PageSize,
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.offsetMax, description: 'Default 0; not with cursor' })),
  status: Type.Optional(StatusSchema),
  role: Type.Optional(RoleSchema),
  search: Type.Optional(SearchQuery),
  cursor: Type.Optional(CursorQuery('next_cursor of the previous page (keyset pagination); not with offset')),
});

const ProfileInput = Type.Object(
  {
    first_name: Type.Optional(Nullable(Type.String())),
    last_name: Type.Optional(Nullable(Type.String())),
    phone: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false },
);

export const CreateBody = Type.Object(
  {
    username: Type.String(),
    email: Type.String(),
    password: Type.String(),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(StatusSchema),
    profile: Type.Optional(ProfileInput),
  },
  { additionalProperties: false },
);

export const UpdateBody = Type.Object(
  {
    email: Type.Optional(Type.String()),
    status: Type.Optional(StatusSchema),
    role: Type.Optional(RoleSchema),
    profile: Type.Optional(ProfileInput),
  },
  { additionalProperties: false, description: 'Changes only the given fields; null clears a profile field.' },
);

export const Deleted = Type.Object({ message: Type.String(), deleted_at: Timestamp });

export const LoginResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema }),
});

export const Message = Type.Object({ message: Type.String() });

export const ErrorKeyed = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    retry_after: Type.Optional(Type.Integer({ description: 'On 429: seconds until a retry may succeed' })),
  }),
});
