import { Type } from '@sinclair/typebox';
import { STATUSES } from '../../core/types.js';
import { DEFAULT_SORT, SORT_FIELDS } from '../../core/users/user.list.js';
import { LIMITS } from '../../core/users/user.rules.js';
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
import { Meta } from './schemas.js';

/** Any JSON object (a plain object schema: the document would rewrite a TypeBox Record's patternProperties). */
export const AnyObject = (description: string) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description });

/** The team's own attributes: any JSON object of at most 16 KiB, checked against the user schema. */
export const CustomDataV1 = AnyObject(
  'Custom attributes: a JSON object (at most 16 KiB), checked against GET /api/v1/user-schema',
);
const ExternalIdInput = Nullable(
  RuleString('externalId', {
    description: 'The id another system knows the user by (admins); unique; null clears it',
  }),
);

/** Users on /api/v1: the user, the bodies that create and change one, and the list. */

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
    custom_data: CustomDataV1,
    external_id: Nullable(Type.String({ description: 'The id another system knows the user by' })),
  },
  { title: 'ApiV1User' },
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
    custom_data: Type.Optional(CustomDataV1),
    external_id: Type.Optional(ExternalIdInput),
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
  external_id: Type.Optional(ExternalIdInput),
};

export const ReplaceUserBody = Type.Object(
  { ...updateFields, custom_data: Type.Optional(CustomDataV1) },
  {
    additionalProperties: false,
    title: 'ApiV1ReplaceUser',
    description:
      'Replaces first_name, last_name, phone_number, date_of_birth and bio (omitted ones are cleared); other fields change only when given; custom_data, when given, replaces the whole object.',
  },
);

export const PatchUserBody = Type.Object(
  {
    ...updateFields,
    custom_data: Type.Optional(
      AnyObject(
        'Merged into custom_data at the top level; a property set to null is removed. A user may change only properties the user schema marks x-user-editable.',
      ),
    ),
  },
  {
    additionalProperties: false,
    title: 'ApiV1PatchUser',
    description: 'Changes only the given fields; null clears an optional one.',
  },
);

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
  external_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'Only the user with this external id (exact match)' }),
  ),
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
