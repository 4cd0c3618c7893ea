import type { AuditEntry } from '../audit.js';
import { sessionsEndedBy } from '../security/credential-change.js';
import type { UserRecordChanges } from '../storage.js';
import type { Principal, Status, User } from '../types.js';
import type { UserChanges } from './user.types.js';

/** What a change to a user means beyond the row: the sessions it ends and the audit events it makes. */

/**
 * Which sessions a change ends: a user who is no longer active loses every
 * one; a new password ends every other one (the caller's own session stays
 * when they changed their own password).
 */
export function sessionsToEnd(
  actor: Principal,
  id: string,
  c: { status?: Status; passwordHash?: string },
): { reason: string; keep?: string } | undefined {
  if (c.status !== undefined && c.status !== 'active') return { reason: 'status_changed' };
  if (c.passwordHash !== undefined) return sessionsEndedBy(actor, id, 'password_changed');
  return undefined;
}

/** The record changes of a user's fields (the password already hashed). */
export const recordChanges = (
  c: UserChanges,
  passwordHash: string | undefined,
): Omit<UserRecordChanges, 'updatedAt'> => ({
  username: c.username,
  email: c.email,
  passwordHash,
  role: c.role,
  status: c.status,
  firstName: c.firstName,
  lastName: c.lastName,
  phoneNumber: c.phoneNumber,
  dateOfBirth: c.dateOfBirth,
  bio: c.bio,
  theme: c.theme,
  notifications: c.notifications,
  picture: c.picture,
  externalId: c.externalId,
  customData: c.customData,
});

const PROFILE_FIELDS = [
  'username',
  'email',
  'emailVerified',
  'firstName',
  'lastName',
  'phoneNumber',
  'dateOfBirth',
  'bio',
  'theme',
  'notifications',
  'picture',
  'externalId',
  'customData',
] as const;

/**
 * The audit events of a change: role, status and password changes each have
 * their own type; any other field given makes `user.updated`, naming the
 * fields but never their values.
 */
export function changeEvents(before: User, c: Omit<UserRecordChanges, 'updatedAt'>): AuditEntry[] {
  const events: AuditEntry[] = [];
  const targetId = before.id;
  if (c.role !== undefined && c.role !== before.role)
    events.push({ type: 'user.role_changed', targetId, details: { from: before.role, to: c.role } });
  if (c.status !== undefined && c.status !== before.status)
    events.push({ type: 'user.status_changed', targetId, details: { from: before.status, to: c.status } });
  if (c.passwordHash !== undefined) events.push({ type: 'user.password_changed', targetId });
  const fields = PROFILE_FIELDS.filter((f) => c[f] !== undefined);
  if (fields.length > 0 || events.length === 0) events.push({ type: 'user.updated', targetId, details: { fields } });
  return events;
}
