import type { CustomDataChange } from '../custom-data/custom-data.changes.js';
import type { Stores } from '../storage.js';
import type { ClientInfo, Picture, Status, User } from '../types.js';
import type { UserFields } from './user.rules.js';

/** What the user service takes: a new user, a change, a write's precondition, how a creation is asked. */

export interface NewUser extends UserFields {
  username: string;
  email: string;
  picture?: Picture;
  /** The whole custom_data object (checked against the user schema). */
  customData?: unknown;
}

export interface UserChanges extends UserFields {
  picture?: Picture | null;
  /** A change of custom_data: merged (PATCH) or whole (PUT). */
  customData?: CustomDataChange;
  /** Proves the caller is the account's owner when their password login is not recent (see reauthWindow). */
  currentPassword?: string;
  /** null clears it. */
  externalId?: string | null;
}

/**
 * A write's precondition: the versions (a user's `updatedAt`) the caller last
 * read, any of which may still be current, or '*' for any existing version.
 * A user changed since is not written (PRECONDITION_FAILED): no lost updates.
 */
export type Precondition = '*' | readonly string[];

export interface CreateOptions {
  /** Who asked (the hashing queue is shared fairly by address). */
  client: ClientInfo;
  /** The status when the input gives none (default active). */
  defaultStatus?: Status;
  /**
   * A first sign-in with an upstream provider (core/upstream): no actor and no password; the email is verified (only
   * an address the provider verified makes an account), and `within` links the identity in the user's own transaction.
   */
  upstream?: { within(s: Stores, user: User): Promise<void> };
  /**
   * The address was proven by a mailed code before the account exists (an organization's invitation): the email is
   * verified, and `within` runs in the user's own transaction (the invitation is accepted there, or nothing is).
   */
  proven?: { within(s: Stores, user: User): Promise<void> };
  /** Runs in the creation's own transaction once the row is in (SCIM: the provisioning row and the membership). */
  within?(s: Stores, user: User): Promise<void>;
}
