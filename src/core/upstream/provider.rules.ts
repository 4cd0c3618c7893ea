import { type FieldErrors, validationError } from '../errors.js';
import type { IdentityProvider, ProviderType } from '../storage.js';

/** What an admin gives for a provider (create: all the required ones; update: any). */
export interface ProviderFields {
  issuer?: string | null;
  clientId?: string;
  /** Write-only; null removes it (a public client). */
  clientSecret?: string | null;
  scopes?: string[];
  displayName?: string;
  enabled?: boolean;
  autoCreate?: boolean;
  authorizationUrl?: string | null;
  tokenUrl?: string | null;
  apiUrl?: string | null;
}

export const IDP_LIMITS = { textMax: 200, urlMax: 500, secretMax: 500, scopesMax: 20, scopeMax: 100, nameMax: 60 };

/** Each type's defaults: the presets' issuers and names, GitHub's addresses, the scopes a sign-in needs. */
export const PRESETS: Record<ProviderType, Partial<IdentityProvider> & { scopes: string[]; displayName: string }> = {
  oidc: { scopes: ['openid', 'profile', 'email'], displayName: 'OpenID provider' },
  google: { issuer: 'https://accounts.google.com', scopes: ['openid', 'profile', 'email'], displayName: 'Google' },
  // Entra's multi-tenant issuer: the ID token's `iss` must be it with the token's own `tid` (openid-client checks).
  microsoft: {
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    scopes: ['openid', 'profile', 'email'],
    displayName: 'Microsoft',
  },
  github: {
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    apiUrl: 'https://api.github.com',
    scopes: ['read:user', 'user:email'],
    displayName: 'GitHub',
  },
};

const printable = (v: string, max: number) => v.length >= 1 && v.length <= max && ![...v].some((c) => c < ' ');
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** An absolute https URL (http only for a loopback host, for a provider on the same machine), no credentials or fragment. */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (value.length > IDP_LIMITS.urlMax) return `must be at most ${IDP_LIMITS.urlMax} characters`;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return 'must be an https URL (http only on localhost)';
  if (url.username || url.password || url.hash) return 'must have no credentials and no fragment';
  return undefined;
}

/** The provider's fields checked whole (after defaults, or after a PATCH merged): 400 naming each bad one. */
export function checkProvider(p: IdentityProvider): void {
  const errors: FieldErrors = {};
  const oidc = p.type !== 'github';
  if (oidc) {
    const problem = p.issuer === null ? 'is required' : urlProblem(p.issuer);
    if (problem) errors.issuer = `issuer ${problem}`;
    if (!p.scopes.includes('openid')) errors.scopes = 'scopes must include openid';
  } else {
    if (p.issuer !== null) errors.issuer = 'github providers have no issuer';
    for (const [key, wire] of [
      ['authorizationUrl', 'authorization_url'],
      ['tokenUrl', 'token_url'],
      ['apiUrl', 'api_url'],
    ] as const) {
      const value = p[key];
      const problem = value === null ? 'is required' : urlProblem(value);
      if (problem) errors[wire] = `${wire} ${problem}`;
    }
  }
  if (oidc && (p.authorizationUrl || p.tokenUrl || p.apiUrl))
    errors.authorization_url = 'authorization_url, token_url and api_url are for github providers only';
  if (!printable(p.clientId, IDP_LIMITS.textMax))
    errors.client_id = `client_id must be 1-${IDP_LIMITS.textMax} characters`;
  if (!printable(p.displayName, IDP_LIMITS.nameMax))
    errors.display_name = `display_name must be 1-${IDP_LIMITS.nameMax} printable characters`;
  if (p.scopes.length > IDP_LIMITS.scopesMax || p.scopes.some((s) => s.length > IDP_LIMITS.scopeMax || !SCOPE.test(s)))
    errors.scopes ??= `scopes must be at most ${IDP_LIMITS.scopesMax} scope tokens (no spaces or quotes)`;
  if (Object.keys(errors).length) throw validationError(errors);
}

export function checkSecret(secret: string | null | undefined): void {
  if (secret === undefined || secret === null) return;
  if (!printable(secret, IDP_LIMITS.secretMax))
    throw validationError({ client_secret: `client_secret must be 1-${IDP_LIMITS.secretMax} characters` });
}

/** A new provider: the type's defaults under what was given. */
export function newProvider(type: ProviderType, f: ProviderFields, id: string, at: string): IdentityProvider {
  const d = PRESETS[type];
  return {
    id,
    type,
    issuer: f.issuer ?? d.issuer ?? null,
    clientId: f.clientId ?? '',
    hasSecret: Boolean(f.clientSecret),
    scopes: [...new Set(f.scopes ?? d.scopes)],
    displayName: f.displayName ?? d.displayName,
    enabled: f.enabled ?? true,
    autoCreate: f.autoCreate ?? true,
    authorizationUrl: f.authorizationUrl ?? d.authorizationUrl ?? null,
    tokenUrl: f.tokenUrl ?? d.tokenUrl ?? null,
    apiUrl: f.apiUrl ?? d.apiUrl ?? null,
    createdAt: at,
    updatedAt: at,
    organizationId: null,
    enforced: false,
  };
}

/** A PATCH: given fields replace, absent ones stay; the wire names of those that changed. */
export function mergeProvider(p: IdentityProvider, f: ProviderFields, at: string) {
  const next: IdentityProvider = {
    ...p,
    ...Object.fromEntries(Object.entries(f).filter(([k, v]) => v !== undefined && k !== 'clientSecret')),
    scopes: f.scopes ? [...new Set(f.scopes)] : p.scopes,
    hasSecret: f.clientSecret === undefined ? p.hasSecret : f.clientSecret !== null,
    updatedAt: at,
  };
  const wire: Record<string, string> = {
    issuer: 'issuer',
    clientId: 'client_id',
    scopes: 'scopes',
    displayName: 'display_name',
    enabled: 'enabled',
    autoCreate: 'auto_create',
    authorizationUrl: 'authorization_url',
    tokenUrl: 'token_url',
    apiUrl: 'api_url',
  };
  const changed = Object.keys(wire).filter(
    (k) => JSON.stringify(next[k as keyof IdentityProvider]) !== JSON.stringify(p[k as keyof IdentityProvider]),
  );
  return {
    next,
    changed: [...changed.map((k) => wire[k]!), ...(f.clientSecret !== undefined ? ['client_secret'] : [])],
  };
}
