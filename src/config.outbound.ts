/**
 * The outgoing requests' guard settings (core/security/outbound.ts), read by config.ts with the rest.
 */
import { ConfigError, type Env, optional } from './config-error.js';

export interface OutboundSettings {
  /** USHER_OUTBOUND_ALLOW_PRIVATE=on: private and loopback addresses may be reached (a company's Keycloak, tests). */
  readonly allowPrivate: boolean;
  /** USHER_OUTBOUND_ALLOWED_HOSTS: host names whose private or loopback addresses may be reached (narrower). */
  readonly allowedHosts: readonly string[];
  /** USHER_OUTBOUND_TIMEOUT: seconds an outgoing request may take, connection to last byte. */
  readonly timeoutSeconds: number;
  /** USHER_WEBHOOK_ALLOW_PRIVATE=on: webhook endpoints on private and loopback addresses are reached (tests, an intranet). */
  readonly webhookAllowPrivate: boolean;
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export function outboundOf(env: Env): OutboundSettings {
  const allow = (optional(env, 'USHER_OUTBOUND_ALLOW_PRIVATE') ?? 'off').toLowerCase();
  if (allow !== 'on' && allow !== 'off')
    throw new ConfigError('USHER_OUTBOUND_ALLOW_PRIVATE', `must be one of on, off, got "${allow}"`);
  const hosts = (optional(env, 'USHER_OUTBOUND_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts)
    if (!HOST.test(host) && !/^[0-9.]+$/.test(host) && !/^\[?[0-9a-f:]+\]?$/.test(host))
      throw new ConfigError('USHER_OUTBOUND_ALLOWED_HOSTS', `must be host names separated by commas, got "${host}"`);
  const rawTimeout = optional(env, 'USHER_OUTBOUND_TIMEOUT') ?? '10';
  const timeoutSeconds = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutSeconds < 1 || timeoutSeconds > 120)
    throw new ConfigError('USHER_OUTBOUND_TIMEOUT', `must be a whole number between 1 and 120, got "${rawTimeout}"`);
  const webhooks = (optional(env, 'USHER_WEBHOOK_ALLOW_PRIVATE') ?? 'off').toLowerCase();
  if (webhooks !== 'on' && webhooks !== 'off')
    throw new ConfigError('USHER_WEBHOOK_ALLOW_PRIVATE', `must be one of on, off, got "${webhooks}"`);
  return {
    webhookAllowPrivate: webhooks === 'on',
    allowPrivate: allow === 'on',
    allowedHosts: hosts.map((h) => h.replace(/^\[|\]$/g, '')),
    timeoutSeconds,
  };
}
