import type { AuditEvent } from '../audit.js';
import type { User } from '../types.js';

/**
 * The webhook events (docs/decisions.md, "Webhook events"): the audit event
 * types that concern a user, a session, an API key, an application, an
 * identity provider or an organization (with its invitations, single sign-on,
 * SCIM tokens and groups), the roles that grant users permissions and the
 * schema of users' custom_data, under the names the issue gives them. Every sign-in
 * (`user.login`, whatever the method) is `session.created`; every ended
 * session (logout, revoke, logout-all, the session limit, a reused refresh
 * token, a suspension) is `session.revoked`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.restored',
  'user.password_changed',
  'user.role_changed',
  'user.status_changed',
  'user.email_verified',
  'user.mfa_enabled',
  'user.mfa_disabled',
  'user.roles_changed',
  'session.created',
  'session.revoked',
  'api_key.created',
  'api_key.revoked',
  'application.created',
  'application.updated',
  'application.deleted',
  'application.secret_rotated',
  'identity_provider.created',
  'identity_provider.updated',
  'identity_provider.deleted',
  'identity.linked',
  'identity.unlinked',
  'passkey.added',
  'passkey.removed',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization.member_added',
  'organization.member_removed',
  'organization.member_roles_changed',
  'organization.invitation_created',
  'organization.invitation_revoked',
  'organization.invitation_accepted',
  'organization.sso_changed',
  'role.created',
  'role.updated',
  'role.deleted',
  'user_schema.changed',
  'scim_token.created',
  'scim_token.revoked',
  'scim_group.created',
  'scim_group.updated',
  'scim_group.deleted',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const RENAMED: Record<string, WebhookEventType> = {
  'user.login': 'session.created',
  'user.logout': 'session.revoked',
  'session.refresh_reused': 'session.revoked',
};

/** The webhook event types an audit event makes (none for most). */
export function eventTypesOf(e: AuditEvent, user: User | undefined): WebhookEventType[] {
  const renamed = RENAMED[e.type];
  if (renamed) return [renamed];
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e.type)) return [];
  const types = [e.type as WebhookEventType];
  const fields = (e.details.fields as unknown[] | undefined) ?? [];
  if (e.type === 'user.updated' && fields.includes('emailVerified') && user?.emailVerified)
    types.push('user.email_verified');
  // A suspended (or deleted) user's sessions end with the change.
  if (e.type === 'user.status_changed' && e.details.to !== 'active') types.push('session.revoked');
  return types;
}

/** Detail keys that never leave in an event, whatever a future audit event puts there. */
const UNSAFE = /secret|hash|code|token|password|key$/i;

/** The audit details an event may carry: plain values under safe names (ids, names, roles, reasons). */
export function safeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (!UNSAFE.test(k) || k.endsWith('_id')) out[k] = v;
  return out;
}

/** An event's body: `{type, timestamp, data}`, `data` the public object and the actor. */
export function eventBody(
  type: WebhookEventType,
  e: AuditEvent,
  user: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const details = safeDetails(e.details);
  if (type === 'session.revoked' && e.type === 'user.status_changed') details.reason = `status_${String(e.details.to)}`;
  const data: Record<string, unknown> = { ...details, actor: e.actorId === null ? null : { id: e.actorId } };
  if (user) data.user = user;
  else if (e.targetId !== null) data.user_id = e.targetId;
  return { type, timestamp: e.createdAt, data };
}

/** Whether an endpoint listening to `types` takes an event of `type`. */
export const listensTo = (types: readonly string[], type: string): boolean =>
  type === 'webhook.test' || types.includes('*') || types.includes(type);
