import { AUDIT_TYPES } from './audit-types.js';
import { uuidv7 } from './ids.js';
import type { ClientInfo, Principal } from './types.js';

/**
 * The audit trail: who did what to which user, when and from where. Events
 * are written in the same transaction as the change they record (where there
 * is one), so no change is ever without its event. Never a secret: no
 * password, token, key or hash goes into `details`.
 */
export { AUDIT_TYPES };

export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEvent {
  id: string;
  type: AuditType;
  /** The user (or API key) that acted; null for an anonymous request or the system. */
  actorId: string | null;
  /** The user the event is about, when there is one. */
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  details: Record<string, unknown>;
}

/** What a service says about an event; the recorder adds the id and time. */
export type AuditEntry = Pick<AuditEvent, 'type' | 'targetId'> & { details?: Record<string, unknown> };

/** Who acted and from where, from the request's principal (or only the client, for anonymous requests). */
export interface AuditSource {
  actorId: string | null;
  client: ClientInfo | null;
}

export const sourceOf = (actor: Principal | null, client?: ClientInfo | null): AuditSource => ({
  actorId: actor === null ? null : (actor.userId ?? actor.apiKeyId),
  client: client ?? actor?.client ?? null,
});

/** The event a service records, stamped with its id and time. */
export function auditEvent(source: AuditSource, entry: AuditEntry, at: string): AuditEvent {
  return {
    id: uuidv7(Date.parse(at)),
    type: entry.type,
    actorId: source.actorId,
    targetId: entry.targetId,
    ip: source.client?.ip ?? null,
    userAgent: source.client?.userAgent ?? null,
    createdAt: at,
    details: entry.details ?? {},
  };
}
