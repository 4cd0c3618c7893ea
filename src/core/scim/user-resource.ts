import type { ScimMember } from '../storage.js';
import { invalidValue } from './scim-errors.js';

/**
 * A SCIM User (RFC 7643 4.1, with the Enterprise User extension, 4.3) ⇄
 * what Usher keeps: userName as the directory sent it (the provisioning
 * row), name.givenName/familyName as first/last name, one email (the
 * primary, type "work"), active as status, externalId, the extension's
 * employeeNumber, department and manager in custom_data, and every other
 * attribute the directory sends kept as it is (`extras`) and given back.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The extension's attributes kept in custom_data, under these keys. */
export const ENTERPRISE_KEYS = ['employeeNumber', 'department', 'manager'] as const;
const EXTRAS_MAX_BYTES = 16 * 1024;
const TEXT_MAX = 255;

export type Json = Record<string, unknown>;

export interface ScimUserInput {
  userName: string;
  givenName: string | null;
  familyName: string | null;
  email: string;
  active: boolean;
  externalId: string | null;
  enterprise: Partial<Record<(typeof ENTERPRISE_KEYS)[number], string>>;
  /** Every other attribute, as sent. */
  extras: Json;
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of `key` in `o`, the key compared case-insensitively (SCIM attribute names are). */
export function field(o: Json, key: string): unknown {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** The resource as SCIM shows it (without meta, which the surface adds). */
export function userResource(m: ScimMember): Json {
  const { user, link } = m;
  const extras = link?.attributes ?? {};
  const name: Json = { ...(isObject(extras.name) ? extras.name : {}) };
  if (user.firstName !== null) name.givenName = user.firstName;
  if (user.lastName !== null) name.familyName = user.lastName;
  const formatted = [user.firstName, user.lastName].filter((x) => x !== null).join(' ');
  if (formatted) name.formatted = formatted;
  const ext: Json = { ...(isObject(extras[ENTERPRISE_SCHEMA]) ? (extras[ENTERPRISE_SCHEMA] as Json) : {}) };
  for (const key of ENTERPRISE_KEYS) {
    const v = user.customData[key];
    if (typeof v === 'string') ext[key] = key === 'manager' ? { value: v } : v;
  }
  const { name: _n, [ENTERPRISE_SCHEMA]: _e, ...rest } = extras;
  const resource: Json = {
    schemas: Object.keys(ext).length > 0 ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    ...rest,
    id: user.id,
    ...(user.externalId !== null && { externalId: user.externalId }),
    userName: link?.userName ?? user.username,
    ...(Object.keys(name).length > 0 && { name }),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.status === 'active',
  };
  if (Object.keys(ext).length > 0) resource[ENTERPRISE_SCHEMA] = ext;
  return resource;
}

function text(v: unknown, what: string, max = TEXT_MAX): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max)
    throw invalidValue(`${what} must be a non-empty string of at most ${max} characters`);
  return v;
}
const optionalText = (v: unknown, what: string, max = TEXT_MAX): string | null =>
  v === undefined || v === null || v === '' ? null : text(v, what, max);

/** `true`, `false`, or the strings Entra sends ("True", "False"). */
export function booleanOf(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw invalidValue(`${what} must be true or false`);
}

function emailOf(emails: unknown, userName: string): string {
  if (emails !== undefined && emails !== null && !Array.isArray(emails)) throw invalidValue('emails must be an array');
  const list = ((emails as unknown[] | undefined) ?? []).filter(isObject);
  const chosen =
    list.find((e) => field(e, 'primary') === true || field(e, 'primary') === 'true') ??
    list.find((e) => String(field(e, 'type') ?? '').toLowerCase() === 'work') ??
    list[0];
  if (chosen) return text(field(chosen, 'value'), 'emails.value');
  if (userName.includes('@')) return userName;
  throw invalidValue('A user needs an email address: send emails (or an address as userName)');
}

const KNOWN = new Set([
  'schemas',
  'id',
  'meta',
  'username',
  'name',
  'emails',
  'active',
  'externalid',
  'password',
  'groups',
]);

/** A User resource as sent (POST, PUT, or after a PATCH) → what Usher keeps; invalidValue when it cannot. */
export function parseUser(body: unknown): ScimUserInput {
  if (!isObject(body)) throw invalidValue('The body must be a JSON object');
  const userName = text(field(body, 'userName'), 'userName');
  const name = field(body, 'name');
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue('name must be an object');
  const n = (name as Json | null | undefined) ?? {};
  const active = field(body, 'active');
  const extIn = field(body, ENTERPRISE_SCHEMA);
  if (extIn !== undefined && extIn !== null && !isObject(extIn))
    throw invalidValue(`${ENTERPRISE_SCHEMA} must be an object`);
  const ext = (extIn as Json | null | undefined) ?? {};
  const enterprise: ScimUserInput['enterprise'] = {};
  const extRest: Json = {};
  for (const [k, v] of Object.entries(ext)) {
    const key = ENTERPRISE_KEYS.find((e) => e.toLowerCase() === k.toLowerCase());
    if (!key) extRest[k] = v;
    else if (key === 'manager') {
      const id = isObject(v) ? field(v, 'value') : v;
      const value = optionalText(id, 'manager.value');
      if (value !== null) enterprise.manager = value;
    } else {
      const value = optionalText(v, key);
      if (value !== null) enterprise[key] = value;
    }
  }
  const extras: Json = {};
  for (const [k, v] of Object.entries(body))
    if (!KNOWN.has(k.toLowerCase()) && k.toLowerCase() !== ENTERPRISE_SCHEMA.toLowerCase() && v !== null) extras[k] = v;
  const {
    givenname: _g,
    familyname: _f,
    formatted: _x,
    ...nameRest
  } = Object.fromEntries(Object.entries(n).map(([k, v]) => [k.toLowerCase(), v]));
  const nameExtras = Object.fromEntries(Object.entries(n).filter(([k]) => k.toLowerCase() in nameRest));
  if (Object.keys(nameExtras).length > 0) extras.name = nameExtras;
  if (Object.keys(extRest).length > 0) extras[ENTERPRISE_SCHEMA] = extRest;
  if (Buffer.byteLength(JSON.stringify(extras)) > EXTRAS_MAX_BYTES)
    throw invalidValue(`The attributes Usher keeps as sent may take at most ${EXTRAS_MAX_BYTES} bytes`);
  return {
    userName,
    givenName: optionalText(field(n, 'givenName'), 'name.givenName', 100),
    familyName: optionalText(field(n, 'familyName'), 'name.familyName', 100),
    email: emailOf(field(body, 'emails'), userName),
    active: active === undefined || active === null ? true : booleanOf(active, 'active'),
    externalId: optionalText(field(body, 'externalId'), 'externalId'),
    enterprise,
    extras,
  };
}
