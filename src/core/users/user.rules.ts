import { AppError, type FieldErrors, validationError } from '../errors.js';
import { PATTERNS } from '../patterns.js';
import { ROLES, STATUSES, type Role, type Status } from '../types.js';

/**
 * The value rules for user fields, in one place for every surface. Errors are
 * keyed by the canonical (/api/v1) field name; a surface renames them if its
 * wire format differs.
 */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 50,
  emailMax: 255,
  passwordMin: 8,
  passwordMax: 128,
  nameMax: 100,
  bioMax: 500,
  themeMax: 32,
  phoneMax: 32,
  searchMax: 100,
  pageSizeMax: 100,
  pageSizeDefault: 20,
  pageMax: 1_000_000,
  offsetMax: 100_000_000,
  cursorMax: 1000,
} as const;

/**
 * The same rules as JSON Schema constraints, for the OpenAPI document (a
 * schema names one with `'x-rule'`; see src/http/openapi.ts). They never say
 * more than the checks below enforce, so a request the document refuses is
 * one the server refuses too; what a flat constraint cannot say (a phone
 * number's groups, a date's calendar) is left to the check and its message.
 */
export const RULE_SCHEMAS = {
  username: { minLength: LIMITS.usernameMin, maxLength: LIMITS.usernameMax, pattern: PATTERNS.username.source },
  email: { format: 'email', maxLength: LIMITS.emailMax },
  password: { minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax },
  name: { minLength: 1, maxLength: LIMITS.nameMax },
  phone: { minLength: 1, maxLength: LIMITS.phoneMax, pattern: PATTERNS.phoneStart.source },
  date: { format: 'date' },
  bio: { maxLength: LIMITS.bioMax },
  theme: { minLength: 1, maxLength: LIMITS.themeMax },
  id: { format: 'uuid' },
} as const;
export type RuleName = keyof typeof RULE_SCHEMAS;

const CONTROL = PATTERNS.control;
const CONTROL_EXCEPT_WHITESPACE = PATTERNS.controlExceptWhitespace;

export interface ProfileFields {
  firstName?: string | null;
  lastName?: string | null;
  phoneNumber?: string | null;
  dateOfBirth?: string | null;
  bio?: string | null;
  theme?: string;
  notifications?: boolean;
}

export interface UserFields extends ProfileFields {
  username?: string;
  email?: string;
  password?: string;
  role?: Role;
  status?: Status;
}

const length = (s: string): number => [...s].length;

/** A printable text of `min` to `max` characters (not bytes), not blank; `multiline` allows tab and newlines. */
export function checkText(
  errors: FieldErrors,
  field: string,
  label: string,
  value: string,
  min: number,
  max: number,
  multiline = false,
): void {
  if (!value.isWellFormed() || (multiline ? CONTROL_EXCEPT_WHITESPACE : CONTROL).test(value)) {
    errors[field] = `${label} contains characters that are not allowed`;
  } else if (length(value) < min) {
    errors[field] = min === 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters`;
  } else if (length(value) > max) {
    errors[field] = `${label} must be at most ${max} characters`;
  } else if (value.trim() === '') {
    errors[field] = `${label} must not be blank`;
  }
}

export function checkUsername(errors: FieldErrors, value: string): void {
  checkText(errors, 'username', 'Username', value, LIMITS.usernameMin, LIMITS.usernameMax);
  if (!errors.username && !PATTERNS.username.test(value)) {
    errors.username = 'Username may contain only letters, digits, underscores and hyphens';
  }
}

export function checkEmail(errors: FieldErrors, value: string): void {
  if (value.length > LIMITS.emailMax) errors.email = `Email must be at most ${LIMITS.emailMax} characters`;
  else if (!isEmail(value)) errors.email = 'Email format is invalid';
}

/**
 * A pragmatic RFC 5321 subset: ASCII dot-atom local part (at most 64), LDH domain labels, alphabetic TLD or punycode.
 */
function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (at < 1 || at > 64 || !PATTERNS.emailLocal.test(local) || PATTERNS.emailBadDots.test(local) || labels.length < 2)
    return false;
  const tld = labels.pop()!;
  return (
    PATTERNS.topLevelDomain.test(tld) &&
    labels.every((l) => PATTERNS.domainLabel.test(l) && !l.startsWith('-') && !l.endsWith('-'))
  );
}

export function checkPassword(errors: FieldErrors, value: string, field = 'password'): void {
  const n = length(value);
  if (n < LIMITS.passwordMin) errors[field] = `Password must be at least ${LIMITS.passwordMin} characters`;
  else if (n > LIMITS.passwordMax) errors[field] = `Password must be at most ${LIMITS.passwordMax} characters`;
  else if (!value.isWellFormed() || /\u0000/.test(value))
    errors[field] = 'Password contains characters that are not allowed';
  else if (!/\p{L}/u.test(value) || !/\p{N}/u.test(value))
    errors[field] = 'Password must contain at least one letter and one digit';
}

/** Digits with single separators (space, dot, hyphen) and parenthesised digit groups, e.g. +1 (555) 123-4567. */
function isPhone(value: string): boolean {
  if (value.length > LIMITS.phoneMax || !PATTERNS.phoneStart.test(value)) return false;
  const flat = value.replace(PATTERNS.phoneGroup, '0');
  const digits = value.replace(/\D/g, '').length;
  return PATTERNS.phoneChars.test(flat) && !PATTERNS.phoneBadSeparators.test(flat) && digits >= 7 && digits <= 15;
}

function checkPhone(errors: FieldErrors, value: string): void {
  if (!isPhone(value)) {
    errors.phone_number = 'Phone number must be a valid international number, for example +1-555-0123';
  }
}

/** A real calendar date in ISO 8601 (YYYY-MM-DD), not in the future, not before 1900. */
export function checkDateOfBirth(errors: FieldErrors, value: string, today = new Date()): void {
  const m = PATTERNS.date.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (
    !m ||
    !date ||
    date.getUTCFullYear() !== Number(m[1]) ||
    date.getUTCMonth() !== Number(m[2]) - 1 ||
    date.getUTCDate() !== Number(m[3])
  ) {
    errors.date_of_birth = 'Date of birth must be a real date in ISO 8601 format (YYYY-MM-DD)';
  } else if (value > today.toISOString().slice(0, 10)) {
    errors.date_of_birth = 'Date of birth must not be in the future';
  } else if (value < '1900-01-01') {
    errors.date_of_birth = 'Date of birth must not be before 1900-01-01';
  }
}

/** One of the roles (users and API keys alike). */
export function checkRole(errors: FieldErrors, value: string): void {
  if (!(ROLES as readonly string[]).includes(value)) errors.role = `Role must be one of ${ROLES.join(', ')}`;
}

/** Checks every field present in `input`; absent fields are not checked. */
export function checkUserFields(input: UserFields): FieldErrors {
  const errors: FieldErrors = {};
  if (input.username !== undefined) checkUsername(errors, input.username);
  if (input.email !== undefined) checkEmail(errors, input.email);
  if (input.password !== undefined) checkPassword(errors, input.password);
  if (input.firstName != null) checkText(errors, 'first_name', 'First name', input.firstName, 1, LIMITS.nameMax);
  if (input.lastName != null) checkText(errors, 'last_name', 'Last name', input.lastName, 1, LIMITS.nameMax);
  if (input.phoneNumber != null) checkPhone(errors, input.phoneNumber);
  if (input.dateOfBirth != null) checkDateOfBirth(errors, input.dateOfBirth);
  if (input.bio != null) checkText(errors, 'bio', 'Bio', input.bio, 0, LIMITS.bioMax, true);
  if (input.theme !== undefined) checkText(errors, 'preferences.theme', 'Theme', input.theme, 1, LIMITS.themeMax);
  if (input.role !== undefined) checkRole(errors, input.role);
  if (input.status !== undefined && !STATUSES.includes(input.status)) {
    errors.status = `Status must be one of ${STATUSES.join(', ')}`;
  }
  return errors;
}

/** A search term: bounded, printable. */
export function checkSearch(value: string): string | undefined {
  if (!value.isWellFormed() || CONTROL.test(value)) return 'Search contains characters that are not allowed';
  if (length(value) > LIMITS.searchMax) return `Search must be at most ${LIMITS.searchMax} characters`;
  return undefined;
}

/** `updated_at` moves forward on every change, by at least 1 ms, so two changes within one millisecond still differ. */
export const nextUpdatedAt = (previous: string, now: number): string =>
  new Date(Math.max(now, Date.parse(previous) + 1)).toISOString();

/** The 409 for a username or email a live user already has. */
const DUPLICATE_MESSAGES = {
  username: 'Username already exists',
  email: 'Email already exists',
  external_id: 'External id already exists',
} as const;

export const duplicate = (field: 'username' | 'email' | 'external_id', value: string): AppError =>
  new AppError('DUPLICATE_RESOURCE', DUPLICATE_MESSAGES[field], { field, value });

/** Throws the validation error for `errors`, if there is any. */
export function failIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw validationError(errors);
}
