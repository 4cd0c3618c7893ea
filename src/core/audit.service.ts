import { AUDIT_TYPES, type AuditEvent, type AuditType } from './audit.js';
import { validationError } from './errors.js';
import { assertCanReadAudit } from './policy.js';
import type { Storage } from './storage.js';
import type { Principal } from './types.js';

export interface AuditListQuery {
  actorId?: string;
  targetId?: string;
  type?: string;
  since?: string;
  until?: string;
  /** The previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

export interface AuditService {
  /** Newest first, for admins. */
  list(actor: Principal, query: AuditListQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }>;
  /** Deletes events older than the retention. */
  sweep(): Promise<void>;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function instant(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!ISO.test(value) || Number.isNaN(ms))
    throw validationError({ [field]: `${field} must be an ISO 8601 date or date-time` }, undefined, 'query');
  return new Date(ms).toISOString();
}

export function createAuditService(storage: Storage, retentionDays: number, now: () => number): AuditService {
  return {
    async list(actor, q) {
      assertCanReadAudit(actor);
      if (q.type !== undefined && !(AUDIT_TYPES as readonly string[]).includes(q.type)) {
        throw validationError({ type: `type must be one of ${AUDIT_TYPES.join(', ')}` }, undefined, 'query');
      }
      let beforeId: string | undefined;
      if (q.cursor !== undefined) {
        beforeId = Buffer.from(q.cursor, 'base64url').toString('utf8');
        if (!/^[0-9a-f-]{36}$/.test(beforeId))
          throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
      }
      const rows = await storage.audit.list({
        actorId: q.actorId,
        targetId: q.targetId,
        type: q.type as AuditType | undefined,
        since: instant('since', q.since),
        until: instant('until', q.until),
        beforeId,
        limit: q.limit + 1,
      });
      const events = rows.slice(0, q.limit);
      const last = events[events.length - 1];
      return { events, nextCursor: rows.length > q.limit && last ? Buffer.from(last.id).toString('base64url') : null };
    },
    sweep: () => storage.audit.deleteBefore(new Date(now() - retentionDays * 86_400_000).toISOString()),
  };
}
