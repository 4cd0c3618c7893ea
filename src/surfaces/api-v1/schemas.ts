import { type TSchema, Type } from '@sinclair/typebox';
import { API_KEY_NAME_MAX } from '../../core/api-keys/api-key.service.js';
import { AUDIT_TYPES } from '../../core/audit.js';
import { SESSION_PAGE } from '../../core/auth/sessions.service.js';
import { STATUSES } from '../../core/types.js';
import { DEFAULT_SORT, SORT_FIELDS } from '../../core/users/user.list.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { ShownOnce } from '../../http/idempotency.js';
import {
  CurrentPassword,
  CursorQuery,
  Nullable,
  PageSize,
  PreferencesInput,
  PreferencesSchema,
  RoleSchema,
  RuleString,
  SearchQuery,
  StatusSchema,
  StringEnum,
  Timestamp,
  UserId,
} from '../shared/schemas.js';

/** Wire shapes of /api/v1 (users-api-v1.md, users-api-basic.md). */

export const UserV1 = Type.Object(
  {
    id: UserId(),
    username: Type.String(),
    email: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    phone_number: Nullable(Type.String()),
    date_of_birth: Nullable(Type.String({ format: 'date' })),
    bio: Nullable(Type.String()),
    profile_picture_url: Nullable(Type.String()),
    role: RoleSchema,
    status: StatusSchema,
    preferences: PreferencesSchema,
    email_verified: Type.Boolean({
      description: 'The user entered the code mailed to this address (or an admin made the account)',
    }),
    mfa_enabled: Type.Boolean({ description: 'A second factor (TOTP) is on' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    last_login: Nullable(Timestamp),
  },
  { title: 'ApiV1User' },
);

const Meta = Type.Object({ timestamp: Timestamp, version: Type.String() }, { title: 'ApiV1Meta' });
export const Envelope = <T extends TSchema>(data: T) => Type.Object({ data, meta: Meta });

export const ErrorV1 = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
      timestamp: Timestamp,
      path: Type.String(),
    }),
  },
  { title: 'ApiV1Error' },
);

const profileFields = {
  first_name: Type.Optional(Nullable(RuleString('name'))),
  last_name: Type.Optional(Nullable(RuleString('name'))),
  phone_number: Type.Optional(
    Nullable(RuleString('phone', { description: 'International number, 7-15 digits, e.g. +1-555-0123' })),
  ),
  date_of_birth: Type.Optional(Nullable(RuleString('date', { description: 'YYYY-MM-DD, from 1900-01-01 to today' }))),
  bio: Type.Optional(Nullable(RuleString('bio'))),
};

export const CreateUserBody = Type.Object(
  {
    username: RuleString('username', {
      description: `${LIMITS.usernameMin}-${LIMITS.usernameMax} letters, digits, _ or -; unique, case-insensitively`,
    }),
    email: RuleString('email', {
      description: `Valid email, at most ${LIMITS.emailMax} characters; unique, case-insensitively`,
    }),
    password: RuleString('password', {
      description: `${LIMITS.passwordMin}-${LIMITS.passwordMax} characters with at least one letter and one digit`,
    }),
    ...profileFields,
    role: Type.Optional(RoleSchema),
    status: Type.Optional(StatusSchema),
    preferences: Type.Optional(PreferencesInput),
  },
  { additionalProperties: false, title: 'ApiV1CreateUser' },
);

const updateFields = {
  username: Type.Optional(RuleString('username')),
  email: Type.Optional(RuleString('email')),
  password: Type.Optional(RuleString('password')),
  ...profileFields,
  role: Type.Optional(RoleSchema),
  status: Type.Optional(StatusSchema),
  preferences: Type.Optional(PreferencesInput),
  current_password: Type.Optional(CurrentPassword),
};

export const ReplaceUserBody = Type.Object(updateFields, {
  additionalProperties: false,
  title: 'ApiV1ReplaceUser',
  description:
    'Replaces first_name, last_name, phone_number, date_of_birth and bio (omitted ones are cleared); other fields change only when given.',
});
export const PatchUserBody = Type.Object(updateFields, {
  additionalProperties: false,
  title: 'ApiV1PatchUser',
  description: 'Changes only the given fields; null clears an optional one.',
});

export const ListQueryV1 = Type.Object({
  // The default is the document's only ('x-default'): filled in by the validator, it would clash with cursor.
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: LIMITS.pageMax, 'x-default': 1, description: 'Not with cursor' }),
  ),
  limit: PageSize,
  sort: Type.Optional(StringEnum(SORT_FIELDS, { default: DEFAULT_SORT.sort })),
  order: Type.Optional(StringEnum(['asc', 'desc'] as const, { default: DEFAULT_SORT.order })),
  status: Type.Optional(
    StringEnum([...STATUSES, 'deleted'] as const, { description: "'deleted' lists soft-deleted users (admins)" }),
  ),
  role: Type.Optional(RoleSchema),
  search: Type.Optional(SearchQuery),
  cursor: Type.Optional(
    CursorQuery(
      'pagination.next_cursor of the previous page: keyset pagination, as fast on page 50,000 as on page 1; not with page',
    ),
  ),
});

export const Pagination = Type.Object(
  {
    page: Nullable(Type.Integer({ description: 'null when the page was asked for by cursor' })),
    limit: Type.Integer(),
    total: Type.Integer(),
    pages: Type.Integer(),
    has_next: Type.Boolean(),
    has_prev: Type.Boolean(),
    next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
  },
  { title: 'ApiV1Pagination' },
);

export const UserListV1 = Type.Object(
  { data: Type.Array(UserV1), pagination: Pagination, meta: Meta },
  { title: 'ApiV1UserList' },
);

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
  },
  { title: 'ApiV1Tokens' },
);

export const RefreshBody = Type.Object({ refresh_token: Type.String() }, { additionalProperties: false });
export const LogoutBody = Type.Object({ refresh_token: Type.Optional(Type.String()) }, { additionalProperties: false });
export const MessageV1 = Envelope(Type.Object({ message: Type.String() }));

export const ApiKeyV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to recognise it; never the whole key' }),
    role: RoleSchema,
    created_by: Type.String({ description: 'The user who made the key' }),
    created_at: Timestamp,
    expires_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
    last_used_at: Nullable(Timestamp),
  },
  { title: 'ApiV1ApiKey' },
);
export const CreatedApiKey = Type.Intersect([
  ApiKeyV1,
  Type.Object({ key: ShownOnce('The secret, to send as X-API-Key') }),
]);
export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: API_KEY_NAME_MAX,
      description: `1-${API_KEY_NAME_MAX} printable characters`,
    }),
    role: Type.Optional(RoleSchema),
    expires_at: Type.Optional(Type.String({ description: 'ISO 8601 date-time in the future' })),
  },
  { additionalProperties: false },
);

export const AuditEventV1 = Type.Object(
  {
    id: Type.String(),
    type: StringEnum(AUDIT_TYPES),
    actor_id: Nullable(Type.String({ description: 'The user or API key that acted; null for anonymous requests' })),
    target_id: Nullable(Type.String({ description: 'The user the event is about' })),
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    created_at: Timestamp,
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'ApiV1AuditEvent' },
);

export const AuditQuery = Type.Object({
  actor_id: Type.Optional(Type.String({ maxLength: 64 })),
  target_id: Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(StringEnum(AUDIT_TYPES)),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; events at or after' })),
  until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; events before' })),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const AuditList = Type.Object({
  data: Type.Array(AuditEventV1),
  pagination: Type.Object({ limit: Type.Integer(), next_cursor: Nullable(Type.String()) }),
  meta: Meta,
});

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

export const SessionV1 = Type.Object(
  {
    id: Type.String(),
    created_at: Timestamp,
    last_used_at: Timestamp,
    expires_at: Timestamp,
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    current: Type.Boolean({ description: 'The session of the token making this request' }),
  },
  { title: 'ApiV1Session' },
);
export const SessionListQuery = Type.Object({
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SESSION_PAGE.max, default: SESSION_PAGE.default })),
});
export const SessionList = Type.Object(
  {
    data: Type.Array(SessionV1),
    pagination: Type.Object({
      limit: Type.Integer(),
      next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
    }),
    meta: Meta,
  },
  { title: 'ApiV1SessionList' },
);
export const UserSessionParams = Type.Object({ id: UserId(), sid: Type.String({ maxLength: 64 }) });
export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

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
