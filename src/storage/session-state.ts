import type { SessionState } from '../core/storage.js';
import type { Role, Status } from '../core/types.js';

/** A session with its user's role and status, as the session store and both refresh rotations read it. */
export interface StateRow {
  id: string;
  user_id: string;
  expires_at: string;
  authenticated_at: string | null;
  created_at: string;
  revoked_at: string | null;
  role: string;
  status: string;
  deleted_at: string | null;
  organization_id: string | null;
  /** The membership row's user id when the user belongs to the session's organization. */
  org_member: string | null;
}

export function toState(row: StateRow | undefined): SessionState | undefined {
  return (
    row && {
      sessionId: row.id,
      userId: row.user_id,
      role: row.role as Role,
      status: row.status as Status,
      expiresAt: row.expires_at,
      authenticatedAt: row.authenticated_at ?? row.created_at,
      ended: row.revoked_at !== null || row.deleted_at !== null,
      organizationId: row.organization_id,
      organizationMember: row.organization_id !== null && row.org_member !== null,
    }
  );
}
