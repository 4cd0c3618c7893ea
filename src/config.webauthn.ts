import { ConfigError, type Env, optional } from './config-error.js';

/** Passkeys' relying party (read by config.ts with the rest). */
export interface WebAuthnSettings {
  /** USHER_WEBAUTHN_RP_ID: the domain passkeys are bound to; the host of USHER_PUBLIC_URL, else `localhost`. */
  readonly rpId: string;
  /** The name authenticators show beside a passkey: the brand's name. */
  readonly rpName: string;
  /** USHER_WEBAUTHN_ORIGINS: the origins a ceremony may come from; the origin of USHER_PUBLIC_URL, else http://localhost:PORT. */
  readonly origins: readonly string[];
}

// A domain name (or `localhost`): labels of letters, digits and hyphens. Browsers refuse IP addresses as RP ids.
const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

function originOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('USHER_WEBAUTHN_ORIGINS', `must be a comma-separated list of http(s) origins, got "${raw}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash)
    throw new ConfigError('USHER_WEBAUTHN_ORIGINS', `must list origins (scheme, host, port; no path), got "${raw}"`);
  return url.origin;
}

/**
 * The relying party: its id must be each origin's host or a parent domain of it (as browsers require), so a
 * configuration no browser would accept stops the start instead of failing every ceremony.
 */
export function webAuthnSettings(
  env: Env,
  publicUrl: string | undefined,
  port: number,
  brand: string,
): WebAuthnSettings {
  const set = optional(env, 'USHER_WEBAUTHN_RP_ID')?.toLowerCase();
  if (set !== undefined && (!DOMAIN.test(set) || /^[\d.]+$/.test(set)))
    throw new ConfigError('USHER_WEBAUTHN_RP_ID', `must be a domain name such as example.com, got "${set}"`);
  // Derived from USHER_PUBLIC_URL, an address (http://10.0.0.5:3000) is let through: such a server starts as before,
  // and only passkeys, which browsers refuse on an IP address, do not work there.
  const rpId = set ?? (publicUrl ? new URL(publicUrl).hostname.toLowerCase() : 'localhost');
  const listed = optional(env, 'USHER_WEBAUTHN_ORIGINS');
  const origins = listed
    ? listed
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map(originOf)
    : [publicUrl ? new URL(publicUrl).origin : `http://localhost:${port}`];
  if (origins.length === 0) throw new ConfigError('USHER_WEBAUTHN_ORIGINS', 'must list at least one origin');
  for (const origin of origins) {
    const host = new URL(origin).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`))
      throw new ConfigError(
        listed ? 'USHER_WEBAUTHN_ORIGINS' : 'USHER_WEBAUTHN_RP_ID',
        `"${rpId}" must be the host of ${origin} or a parent domain of it`,
      );
  }
  return Object.freeze({ rpId, rpName: brand, origins: Object.freeze([...new Set(origins)]) });
}
