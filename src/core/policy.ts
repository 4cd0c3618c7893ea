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

/**
 * An API key never makes, promotes or changes an admin account: a leaked key
 * (kept in a CI system, a back office) must not become an admin who can sign
 * in and outlive the key's revocation.
 */
const KEY_NO_ADMINS = 'API keys cannot create, promote or change admin accounts; sign in as an admin';

/**
 * Another admin's password, email or second factor is changed only by a
 * signed-in admin who proved their password (or second factor) within the
 * reauthentication window: a stolen admin token alone cannot take over a second admin.
 */
export const needsRecentAuthentication = (actor: Principal, target: User, credentials: boolean): boolean =>
  credentials && !isSelf(actor, target.id) && target.role === 'admin';

export const privileged = (actor: Principal | null): boolean => actor?.role === 'admin' || actor?.role === 'moderator';

/** True when the caller is the signed-in user `id` (never for an API key, which has no self). */
export const isSelf = (actor: Principal, id: string): boolean => actor.userId !== null && actor.userId === id;

/**
 * The caller's own user id, for actions only a signed-in user takes on their
 * own account (profile, password, sessions, key management). API keys are refused.
 */
export function selfOf(actor: Principal): string {
  if (actor.userId === null)
    throw forbidden('API keys act only through their role and have no account of their own; sign in as a user');
  return actor.userId;
}

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
  if (!isSelf(actor, targetId) && !privileged(actor)) throw forbidden('You may only access your own account');
}

export function assertCanList(actor: Principal, deleted = false): void {
  if (!privileged(actor)) throw forbidden('Listing users requires the moderator or admin role');
  if (deleted && actor.role !== 'admin') throw forbidden('Only admins may list deleted users');
}

/** Importing and exporting users is an admin's act: files carry every user, deleted ones and hashes too. */
export function assertCanTransferUsers(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may import or export users');
}

/** Bringing a deleted user back is an admin action. */
export function assertCanRestore(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may restore deleted users');
}

/** Creating an account: anyone may register; only admins set a role, only admins and moderators a status. */
export function assertCanCreate(actor: Principal | null, fields: { role?: Role; status?: unknown }): void {
  if (fields.role !== undefined && actor?.role !== 'admin') throw forbidden('Only admins may set role');
  if (fields.role === 'admin' && actor?.apiKeyId != null) throw forbidden(KEY_NO_ADMINS);
  if (fields.status !== undefined && !privileged(actor)) throw forbidden('Only admins and moderators may set status');
}

/** Creating an account without a password (for someone else to claim) is an admin action. */
export function assertCanProvision(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may create profiles for others');
}

export function assertCanUpdate(actor: Principal, target: User, changes: ChangeSet): void {
  const self = isSelf(actor, target.id);
  const admin = actor.role === 'admin';
  if (!self && !privileged(actor)) throw forbidden('You may only access your own account');
  if (actor.apiKeyId !== null && (changes.role === 'admin' || target.role === 'admin')) throw forbidden(KEY_NO_ADMINS);
  if (changes.role !== undefined && !admin) throw forbidden('Only admins may change role');
  if (changes.status !== undefined) {
    if (!privileged(actor)) throw forbidden('Only admins and moderators may change status');
    if (!admin && target.role === 'admin') throw forbidden('Moderators may not change the status of an admin');
  }
  if (changes.other && !self && !admin) throw forbidden('Moderators may change only the status of other users');
}

export function assertCanDelete(actor: Principal, target: User): void {
  if (!isSelf(actor, target.id) && actor.role !== 'admin') throw forbidden('Only admins may delete other users');
  if (target.role === 'admin') throw forbidden('Admin accounts cannot be deleted; demote the account first');
}

/**
 * API keys are an admin tool, managed only by signed-in admins: a key cannot
 * make, list or revoke keys (so no key can outlive or outrank the one that made it).
 */
export function assertCanManageApiKeys(actor: Principal): string {
  if (actor.apiKeyId !== null) throw forbidden('API keys cannot manage API keys; sign in as an admin');
  if (actor.role !== 'admin') throw forbidden('Only admins may manage API keys');
  return selfOf(actor);
}

/** The audit trail tells who did what to whom: admins only, and never through a key of lower role. */
export function assertCanReadAudit(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may read the audit trail');
}

/** The dashboard's figures (totals and counts, no one's data): admins and moderators. */
export function assertCanReadStats(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Only admins and moderators may read the dashboard');
}

/** Sessions are the user's own (never a key's) or, for any user, an admin's to see and end. */
export function assertCanManageSessions(actor: Principal, userId: string): void {
  if (actor.apiKeyId !== null) throw forbidden('API keys have no sessions and cannot manage them; sign in');
  if (!isSelf(actor, userId) && actor.role !== 'admin') throw forbidden('You may only manage your own sessions');
}

/**
 * Applications (the provider's clients) are read by staff and changed only by signed-in admins: a client with a
 * redirect URI of one's choosing (first-party, skipping consent) would hand its maker the tokens of every user who
 * signs in through it, so a leaked key must not be able to make one.
 */
export function assertCanManageApplications(actor: Principal): void {
  if (actor.apiKeyId !== null) throw forbidden('API keys cannot change applications; sign in as an admin');
  if (actor.role !== 'admin') throw forbidden('Only admins may change applications');
}

/** Listing and reading applications (never their secrets): admins and moderators. */
export function assertCanReadApplications(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading applications requires the moderator or admin role');
}

/** Token-signing keys: moderators and admins see them (public facts only); only admins rotate them. */
export function assertCanListSigningKeys(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Listing signing keys requires the moderator or admin role');
}

export function assertCanRotateSigningKeys(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may rotate signing keys');
}

/**
 * Passkeys are the user's own (never a key's) or, for any user, a signed-in admin's to see and remove, as sessions
 * are: they are ways into the account, so moderators (who only read profiles and set statuses) do not see them.
 */
export function assertCanManagePasskeys(actor: Principal, userId: string): void {
  if (actor.apiKeyId !== null) throw forbidden('API keys cannot manage passkeys; sign in');
  if (!isSelf(actor, userId) && actor.role !== 'admin') throw forbidden('You may only manage your own passkeys');
}

/**
 * Upstream identity providers are changed only by signed-in admins, as applications are: a provider an attacker
 * controls, trusted for verified emails, would sign in as anyone whose address it claims. Staff read them.
 */
export function assertCanManageIdentityProviders(actor: Principal): void {
  if (actor.apiKeyId !== null) throw forbidden('API keys cannot change identity providers; sign in as an admin');
  if (actor.role !== 'admin') throw forbidden('Only admins may change identity providers');
}

export function assertCanReadIdentityProviders(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading identity providers requires the moderator or admin role');
}

export function assertCanManageWebhooks(actor: Principal): void {
  if (actor.apiKeyId !== null) throw forbidden('API keys cannot change webhooks; sign in as an admin');
  if (actor.role !== 'admin') throw forbidden('Only admins may change webhooks');
}

export function assertCanReadWebhooks(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading webhooks requires the moderator or admin role');
}

/**
 * Organizations, their members and invitations are the team's customers' data, not access to Usher: admins change
 * them (an admin API key too, for a back office that makes organizations), moderators and admins read them.
 */
export function assertCanManageOrganizations(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may change organizations');
}

export function assertCanReadOrganizations(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading organizations requires the moderator or admin role');
}

/**
 * The roles a team defines (issue 28) are changed by admins and read by staff. They never grant anything on
 * Usher's own API: only the built-in role does (`Principal.role`).
 */
export function assertCanManageRoles(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may change roles and their grants');
}

export function assertCanReadRoles(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading roles requires the moderator or admin role');
}

/** A user's roles and effective permissions: read by staff, and by the user themself. */
export function assertCanReadGrants(actor: Principal, userId: string): void {
  if (!isSelf(actor, userId) && !privileged(actor))
    throw forbidden("Reading another user's roles requires the moderator or admin role");
}

/** The user schema (issue 28): moderators read it, admins set it. */
export function assertCanReadUserSchema(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Reading the user schema requires the moderator or admin role');
}

export function assertCanSetUserSchema(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may change the user schema');
}

/**
 * Custom attributes: admins write any of a user's custom_data and its external_id; a user changes only their own
 * custom_data's properties the schema marks `x-user-editable` (checked with the schema, custom-data.changes.ts).
 */
export const mayWriteAllCustomData = (actor: Principal): boolean => actor.role === 'admin';

export function assertCanSetExternalId(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may set external_id');
}

/** SCIM tokens provision an organization's users: admins make and revoke them; moderators list them. */
export function assertCanManageScimTokens(actor: Principal): void {
  if (actor.role !== 'admin') throw forbidden('Only admins may manage SCIM tokens');
}

export function assertCanReadScimTokens(actor: Principal): void {
  if (!privileged(actor)) throw forbidden('Only admins and moderators may list SCIM tokens');
}
