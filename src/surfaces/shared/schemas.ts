import { type Static, type StringOptions, type TSchema, Type } from '@sinclair/typebox';
import { ROLES, STATUSES } from '../../core/types.js';
import { LIMITS, type RuleName } from '../../core/users/user.rules.js';

/** Small schema pieces every surface shares. */
/**
 * A string or integer that may be null, as `type: [t, 'null']` rather than
 * `anyOf`: fast-json-stringify serialises `anyOf` by validating each value
 * against the branches (date-time format checks on every timestamp), which was
 * a visible share of a read's time.
 */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type as string, 'null'] });
/**
 * A string the core checks by one of its rules (RULE_SCHEMAS). The server's
 * own check gives the error and its message; `x-rule` (ignored by the
 * validator) tells the OpenAPI document to show the rule's constraints.
 */
export const RuleString = (rule: RuleName, options: StringOptions = {}) => Type.String({ ...options, 'x-rule': rule });
/** A user id (UUIDv7). */
export const UserId = (description = 'User id (UUIDv7)') => RuleString('id', { description });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
/** A string from a fixed list, as a JSON Schema `enum` (clear validation messages, clean OpenAPI). */
export const StringEnum = <const T extends string>(
  values: readonly T[],
  options: { default?: T; description?: string } = {},
) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
export const RoleSchema = StringEnum(ROLES);
export const StatusSchema = StringEnum(STATUSES);
export const IdParams = Type.Object({ id: UserId() });
/** Every surface's login body: username or email (the core insists on one), and the password. */
export const LoginBody = Type.Object(
  { username: Type.Optional(Type.String()), email: Type.Optional(Type.String()), password: Type.String() },
  { additionalProperties: false, title: 'LoginRequest', description: 'Log in with username or email, plus password.' },
);
export const PreferencesSchema = Type.Object(
  { theme: Type.String(), notifications: Type.Boolean() },
  { title: 'Preferences' },
);
export const PreferencesInput = Type.Object(
  {
    theme: Type.Optional(RuleString('theme', { maxLength: LIMITS.themeMax })),
    notifications: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'PreferencesInput' },
);
/** Proves the caller owns the account when their password login is older than USHER_REAUTH_WINDOW. */
export const CurrentPassword = Type.String({
  description:
    'Your current password: needed to change your own password or email more than USHER_REAUTH_WINDOW seconds (default 600) after your last password login',
});
/** A list's `search` parameter on every surface: the core's match rule (see README), bounded like every term. */
export const SearchQuery = Type.String({
  maxLength: LIMITS.searchMax,
  description:
    'Case-insensitive: a substring of username, email, first or last name for 3+ characters, a prefix of one of them for 1-2',
});
/**
 * Page size of every list: optional, with its default (Ajv fills it in; handlers fall back to the same constant for the
 * types).
 */
export const PageSize = Type.Optional(
  Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax, default: LIMITS.pageSizeDefault }),
);
/** A keyset cursor: the previous page's next cursor. */
export const CursorQuery = (description: string) => Type.String({ maxLength: LIMITS.cursorMax, description });
/**
 * What every surface's login answers when the account has a second factor: no tokens yet (POST
 * /api/v1/auth/mfa/verify).
 */
export const MfaRequired = Type.Object(
  {
    mfa_required: Type.Literal(true),
    mfa_token: Type.String({ description: 'Send to POST /api/v1/auth/mfa/verify with a TOTP code or a recovery code' }),
    expires_in: Type.Integer({ description: 'Seconds the MFA token lives' }),
  },
  { title: 'MfaRequired' },
);
export const mfaRequired = (c: { mfaToken: string; expiresIn: number }) => ({
  mfa_required: true as const,
  mfa_token: c.mfaToken,
  expires_in: c.expiresIn,
});
