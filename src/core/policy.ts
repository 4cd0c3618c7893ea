import { forbidden } from './errors.js';
import type { Principal, Role, User } from './types.js';

/**
 * Who may do what to users. Pure functions over the caller and the target;
 * every surface goes through these, so a rule is written once.
 *
 * - a user reads and edits only itself;
 * - a moderator reads everyone and changes the status of non-admins;
 * - an admin does everything, except deleting an admin account.
 */

const privileged = (actor: Principal | null): boolean => actor?.role === 'admin' || actor?.role === 'moderator';

/** Field groups as the rules see them. */
export interface ChangeSet {
  role?: unknown;
  status?: unknown;
  /** Any profile, identity, preference, picture or password field. */
  other: boolean;
}

/**
 * Plain users asking for someone else are refused before any lookup, so the
 * answer never reveals whether that id exists.
 */
export function assertCanRead(actor: Principal, targetId: string): void {
  if (actor.userId !== targetId && !privileged(actor)) throw forbidden('You may only access your own account');
}

export function assertCanList(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Listing users requires the moderator or admin role');
}

/** Creating an account: anyone may register; only admins set a role, only admins and moderators a status. */
export function assertCanCreate(actor: Principal | null, fields: { role?: Role; status?: unknown }): void {
  if (fields.role !== undefined && actor?.role !== 'admin') throw forbidden('Only admins may set role');
  if (fields.status !== undefined && !privileged(actor)) throw forbidden('Only admins and moderators may set status');
}

/** Creating an account without a password (for someone else to claim) is an admin action. */
export function assertCanProvision(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may create profiles for others');
}

export function assertCanUpdate(actor: Principal, target: User, changes: ChangeSet): void {
  const self = actor.userId === target.id;
  const admin = actor.role === 'admin';
  if (!self && !privileged(actor)) throw forbidden('You may only access your own account');
  if (changes.role !== undefined && !admin) throw forbidden('Only admins may change role');
  if (changes.status !== undefined) {
    if (!privileged(actor)) throw forbidden('Only admins and moderators may change status');
    if (!admin && target.role === 'admin') throw forbidden('Moderators may not change the status of an admin');
  }
  if (changes.other && !self && !admin) throw forbidden('Moderators may change only the status of other users');
}

export function assertCanDelete(actor: Principal, target: User): void {
  if (actor.userId !== target.id && actor.role !== 'admin') throw forbidden('Only admins may delete other users');
  if (target.role === 'admin') throw forbidden('Admin accounts cannot be deleted; demote the account first');
}

/** API keys are an admin tool; a key never acts above its creator. */
export function assertCanManageApiKeys(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may manage API keys');
}
