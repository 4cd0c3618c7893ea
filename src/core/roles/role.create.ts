import { type AuditSource, auditEvent } from '../audit.js';
import type { Stores, TeamRole } from '../storage.js';

/**
 * A role written with its `role.created` event, in the caller's transaction: the one way a role comes to be, whether
 * an admin makes it (role.service.ts) or a directory's group push does (SCIM, scim/groups.ts). A taken name is
 * DUPLICATE_RESOURCE (the role store's).
 */
export async function insertRole(s: Stores, source: AuditSource, role: TeamRole, extra: object = {}): Promise<void> {
  await s.roles.insert(role);
  await s.audit.record(
    auditEvent(
      source,
      {
        type: 'role.created',
        targetId: null,
        details: { role_id: role.id, name: role.name, scope: role.scope, permissions: role.permissions, ...extra },
      },
      role.createdAt,
    ),
  );
}
