import type { AuditEvent, AuditType } from '../core/audit.js';
import type { AuditStore } from '../core/storage.js';
import type { AuditEventsTable } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

const toEvent = (r: AuditEventsTable): AuditEvent => ({
  id: r.id,
  type: r.type as AuditType,
  actorId: r.actor_id,
  targetId: r.target_id,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: r.created_at,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

/** The audit_events table (written inside the transaction of the change an event records). */
export function auditStore({ db }: StoreContext): AuditStore {
  return {
    async record(e) {
      await db
        .insertInto('audit_events')
        .values({
          id: e.id,
          type: e.type,
          actor_id: e.actorId,
          target_id: e.targetId,
          ip: e.ip,
          user_agent: e.userAgent,
          created_at: e.createdAt,
          details: JSON.stringify(e.details),
        })
        .execute();
    },
    async list(q) {
      let query = db.selectFrom('audit_events').selectAll();
      if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
      if (q.targetId !== undefined) query = query.where('target_id', '=', q.targetId);
      if (q.type !== undefined) query = query.where('type', '=', q.type);
      if (q.since !== undefined) query = query.where('created_at', '>=', q.since);
      if (q.until !== undefined) query = query.where('created_at', '<', q.until);
      if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
      return (await query.orderBy('id', 'desc').limit(q.limit).execute()).map(toEvent);
    },
    async deleteBefore(at) {
      await db.deleteFrom('audit_events').where('created_at', '<', at).execute();
    },
  };
}
