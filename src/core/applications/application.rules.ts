import type { FieldErrors } from '../errors.js';
import { PATTERNS } from '../patterns.js';
import { checkText } from '../users/user.rules.js';
import {
  type ApplicationChanges,
  type ApplicationType,
  KNOWN_SCOPES,
  type NewApplication,
} from './application.types.js';

/**
 * The rules of an application's fields, as pure functions: each check writes
 * one message per wire field into `errors` (VALIDATION_ERROR's details).
 */

export const APP_LIMITS = {
  nameMax: 100,
  urisMax: 20,
  uriMax: 2000,
  scopesMax: 20,
  scopeMax: 64,
} as const;

/** A scope token (RFC 6749 §3.3, narrowed): letters, digits and `_ . : / -`, e.g. `users:read`. */
export const SCOPE_PATTERN = /^[A-Za-z0-9_.:/-]{1,64}$/;

/** RFC 8252 §7.1: a native app's private-use scheme is a reversed domain name, so it has a dot. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// Control characters and whitespace never belong in a URI.
const notInUri = (uri: string): boolean => /\s/.test(uri) || PATTERNS.control.test(uri);

/**
 * The scopes a new application gets when none are given: a user's identity for
 * web, spa and native apps, and refresh tokens (`offline_access`) for the ones
 * that can keep them (a server, an installed app; not a browser's script).
 * A machine has no user: no scopes unless given (its own API scopes).
 */
export function defaultScopes(type: ApplicationType): string[] {
  if (type === 'machine') return [];
  const base = ['openid', 'profile', 'email'];
  return type === 'spa' ? base : [...base, 'offline_access'];
}

/** Why `uri` is refused as a redirect URI of a `type` application, or undefined when it is fine. */
export function redirectUriProblem(uri: string, type: ApplicationType): string | undefined {
  if (uri.length > APP_LIMITS.uriMax) return `must be at most ${APP_LIMITS.uriMax} characters`;
  if (!uri.isWellFormed() || notInUri(uri)) return 'must not contain spaces or control characters';
  if (uri.includes('#')) return 'must not have a fragment (#)';
  if (uri.includes('*')) return 'must not contain a wildcard (*): list each URI in full';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname === '' ? 'must name a host' : undefined;
  if (scheme === 'http')
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : 'must use https (http only for localhost, 127.0.0.1 or [::1])';
  if (type === 'native' && PRIVATE_USE_SCHEME.test(scheme)) return undefined;
  return type === 'native'
    ? 'must use https, http on a loopback address, or a private-use scheme like com.example.app:/callback'
    : 'must use https (http only for localhost, 127.0.0.1 or [::1])';
}

/** Removes repeats, keeping the first of each. */
const unique = (values: readonly string[]): string[] => [...new Set(values)];

function checkUris(errors: FieldErrors, field: string, uris: readonly string[], type: ApplicationType): void {
  if (uris.length > APP_LIMITS.urisMax) {
    errors[field] = `At most ${APP_LIMITS.urisMax} URIs`;
    return;
  }
  for (const [i, uri] of uris.entries()) {
    const problem = redirectUriProblem(uri, type);
    if (problem) {
      errors[field] = `${field}[${i}] ${problem}`;
      return;
    }
  }
}

function checkScopes(errors: FieldErrors, scopes: readonly string[], type: ApplicationType): void {
  if (scopes.length > APP_LIMITS.scopesMax) errors.scopes = `At most ${APP_LIMITS.scopesMax} scopes`;
  else if (scopes.some((s) => !SCOPE_PATTERN.test(s)))
    errors.scopes = `Each scope is 1-${APP_LIMITS.scopeMax} letters, digits or _ . : / -`;
  else if (type === 'machine') {
    const user = scopes.filter((s) => (KNOWN_SCOPES as readonly string[]).includes(s));
    if (user.length > 0)
      errors.scopes = `A machine application has no user, so no user scopes (${user.join(', ')}); give its API scopes`;
  } else if (!scopes.includes('openid')) errors.scopes = 'Scopes must include openid';
}

export function checkLogoUri(errors: FieldErrors, uri: string): void {
  let url: URL | undefined;
  try {
    url = uri.length <= APP_LIMITS.uriMax && !notInUri(uri) ? new URL(uri) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.username !== '' || url.password !== '')
    errors.logo_uri = `logo_uri must be an https URL of at most ${APP_LIMITS.uriMax} characters`;
}

/** The fields an application ends up with, as stored: trimmed, repeats removed, defaults filled in. */
export interface ApplicationFields {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  firstParty: boolean;
  logoUri: string | null;
}

/**
 * Checks a whole application (a new one, or one with its changes applied) and
 * returns its errors by wire field; none means it may be stored.
 */
export function checkApplication(type: ApplicationType, f: ApplicationFields): FieldErrors {
  const errors: FieldErrors = {};
  checkText(errors, 'name', 'Name', f.name, 1, APP_LIMITS.nameMax);
  if (type === 'machine') {
    if (f.redirectUris.length > 0) errors.redirect_uris = 'A machine application has no redirect URIs';
    if (f.postLogoutRedirectUris.length > 0)
      errors.post_logout_redirect_uris = 'A machine application has no post-logout redirect URIs';
  } else {
    if (f.redirectUris.length === 0) errors.redirect_uris = `A ${type} application needs at least one redirect URI`;
    else checkUris(errors, 'redirect_uris', f.redirectUris, type);
    checkUris(errors, 'post_logout_redirect_uris', f.postLogoutRedirectUris, type);
  }
  checkScopes(errors, f.scopes, type);
  if (f.logoUri !== null) checkLogoUri(errors, f.logoUri);
  return errors;
}

/** A new application's fields: the input with its defaults. */
export const newFields = (input: NewApplication): ApplicationFields => ({
  name: input.name.trim(),
  redirectUris: unique(input.redirectUris ?? []),
  postLogoutRedirectUris: unique(input.postLogoutRedirectUris ?? []),
  scopes: unique(input.scopes ?? defaultScopes(input.type)),
  firstParty: input.firstParty ?? false,
  logoUri: input.logoUri ?? null,
});

/** An application's fields with PATCH changes applied (absent stays, null clears the logo). */
export const changedFields = (current: ApplicationFields, changes: ApplicationChanges): ApplicationFields => ({
  name: changes.name === undefined ? current.name : changes.name.trim(),
  redirectUris: changes.redirectUris === undefined ? current.redirectUris : unique(changes.redirectUris),
  postLogoutRedirectUris:
    changes.postLogoutRedirectUris === undefined
      ? current.postLogoutRedirectUris
      : unique(changes.postLogoutRedirectUris),
  scopes: changes.scopes === undefined ? current.scopes : unique(changes.scopes),
  firstParty: changes.firstParty ?? current.firstParty,
  logoUri: changes.logoUri === undefined ? current.logoUri : changes.logoUri,
});
