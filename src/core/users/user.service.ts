import type { CodeSettings } from '../account/codes.js';
import { auditEvent, sourceOf } from '../audit.js';
import { type FieldErrors, notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import * as policy from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import type { ForeignKeys } from '../security/foreign-keys.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { SecretBox } from '../security/secret-box.js';
import type { PasswordStrength } from '../security/password-strength.js';
import type { Lockout } from '../security/lockout.js';
import type { Storage } from '../storage.js';
import type { ClientInfo, Picture, Principal, User } from '../types.js';
import { systemPrincipal } from '../types.js';
import { countable } from './user.counts.js';
import { type ListQuery, type ListResult, createUserList } from './user.list.js';
import { recordChanges } from './user.changes.js';
import { ownerProofs } from '../security/owner-proofs.js';
import { type Alongside, assertNotTaken, currentOrFail, userWriter } from './user.writes.js';
import { userCreator } from './user.create.js';
import type { CreateOptions, NewUser, Precondition, UserChanges } from './user.types.js';
import { type UserTransfer, userTransfer } from './user.transfer.js';
import { checkPassword, checkUserFields, duplicate, failIfInvalid, nextUpdatedAt } from './user.rules.js';
import { nextCustomData } from '../custom-data/custom-data.changes.js';
import type { CompiledUserSchema } from '../custom-data/user-schema.js';

/** The users: their reads and writes, and (UserTransfer) their import and export. */
export interface UserService extends UserTransfer {
  /** Registration (actor null) or creation by an authenticated caller. */
  create(actor: Principal | null, input: NewUser, options: CreateOptions): Promise<User>;
  get(actor: Principal, id: string): Promise<User>;
  list(actor: Principal, query: ListQuery): Promise<ListResult>;
  /** Changes exactly the fields present in `changes` (null clears an optional one). */
  /** `alongside` runs in the change's transaction, after the write (SCIM's provisioning row: one commit). */
  update(
    actor: Principal,
    id: string,
    changes: UserChanges,
    ifMatch?: Precondition,
    alongside?: Alongside,
  ): Promise<User>;
  /** Soft delete: the user disappears from reads, lists and logins, and every session ends. */
  remove(actor: Principal, id: string, ifMatch?: Precondition): Promise<{ deletedAt: string }>;
  /**
   * Brings a soft-deleted user back, active (admins); its old sessions stay ended. 409 if its username or email was
   * taken meanwhile.
   */
  restore(actor: Principal, id: string): Promise<User>;
  changePassword(actor: Principal, oldPassword: string, newPassword: string): Promise<void>;
  picture(pictureId: string): Promise<Picture | undefined>;
  /** A live user by username or email, for the system's own checks (no principal, no policy). */
  lookup(login: { username?: string; email?: string }): Promise<User | undefined>;
  /** The account flows' writes, once a code proved the caller (core/account): no principal, the client only. */
  markEmailVerified(id: string, client: ClientInfo): Promise<User>;
  /**
   * A new password through a reset, once the caller proved the code (core/account): the same rules as
   * everywhere, checked only then; `spend` uses the code up once the password passes; every session ends.
   */
  resetPassword(id: string, newPassword: string, client: ClientInfo, spend: () => Promise<unknown>): Promise<void>;
}

export interface UserServiceDeps {
  storage: Storage;
  hasher: PasswordHasher;
  strength: PasswordStrength;
  lockout: Lockout;
  bus: EventBus;
  now: () => number;
  /** Seconds after a password login within which one's own password or email may change without current_password. */
  reauthWindow: number;
  /** How verification codes are made and mailed. */
  codes: CodeSettings;
  /** The current user schema, which every write of custom_data must match. */
  userSchema: { current(): Promise<CompiledUserSchema | null> };
  /** Seals the TOTP secrets an import brings. */
  box: SecretBox;
  /** Where an import keeps the keys its foreign hashes need at login (Firebase's signer key). */
  foreignKeys: ForeignKeys;
}

export function createUserService(deps: UserServiceDeps): UserService {
  const { storage, hasher, strength, bus, now } = deps;
  const lists = createUserList(storage.users, now);

  async function load(id: string): Promise<User> {
    const user = await storage.users.byId(id);
    if (!user) throw notFound('User', id);
    return user;
  }

  const writer = userWriter({ storage, bus, now, codes: deps.codes, adjust: lists.adjust });
  const { write } = writer;

  const { provePassword, assertRecentlyAuthenticated, assertRecentSignIn } = ownerProofs(deps);

  return {
    create: userCreator({ ...deps, adjust: lists.adjust }),

    async get(actor, id) {
      policy.assertCanRead(actor, id);
      return load(id);
    },

    async list(actor, query) {
      policy.assertCanList(actor, query.status === 'deleted');
      return lists.list(query);
    },

    async update(actor, id, changes, ifMatch, alongside) {
      policy.assertCanRead(actor, id);
      failIfInvalid(checkUserFields(changes));
      const target = await load(id);
      if (changes.password !== undefined) {
        const errors: FieldErrors = {};
        await strength.check(errors, 'password', changes.password, [
          changes.username ?? target.username,
          changes.email ?? target.email,
          target.firstName,
          target.lastName,
        ]);
        failIfInvalid(errors);
      }
      const { role, status, currentPassword, ...rest } = changes;
      policy.assertCanUpdate(actor, target, { role, status, other: Object.values(rest).some((v) => v !== undefined) });
      if (changes.externalId !== undefined) policy.assertCanSetExternalId(actor);
      const customChange = changes.customData;
      const schema = customChange && (await deps.userSchema.current());
      // Checked now against the user as read (a refusal costs no hash), and again on the locked row as written.
      const customDataOf =
        customChange && ((u: User) => nextCustomData(actor, schema ?? null, u.customData, customChange));
      customDataOf?.(target);
      const username =
        changes.username !== undefined && changes.username !== target.username ? changes.username : undefined;
      const email = changes.email !== undefined && changes.email !== target.email ? changes.email : undefined;
      const credentials = changes.password !== undefined || email !== undefined;
      if (policy.isSelf(actor, id) && credentials) await assertRecentlyAuthenticated(actor, currentPassword);
      else if (policy.needsRecentAuthentication(actor, target, credentials)) assertRecentSignIn(actor);
      await assertNotTaken(storage, { username, email }, id);
      const passwordHash =
        changes.password === undefined
          ? undefined
          : await hasher.hash(changes.password, [`user:${actor.userId ?? actor.apiKeyId}`]);
      // A new address is unproven until its owner enters the code mailed there; an admin changing someone else's
      // vouches for it.
      const emailVerified = email === undefined ? undefined : actor.role === 'admin' && !policy.isSelf(actor, id);
      return write(
        actor,
        id,
        { ...recordChanges(changes, passwordHash), username, email, emailVerified, customDataOf },
        ifMatch,
        alongside,
      );
    },

    async remove(actor, id, ifMatch) {
      policy.assertCanRead(actor, id);
      const target = await load(id);
      policy.assertCanDelete(actor, target);
      const deletedAt = nextUpdatedAt(target.updatedAt, now());
      await storage.transaction(async (s) => {
        const current = await s.users.byIdForUpdate(id);
        if (!current) throw notFound('User', id);
        currentOrFail(current, ifMatch);
        if (!(await s.users.softDelete(id, deletedAt))) throw notFound('User', id);
        await s.sessions.revokeAllOf(id, deletedAt, 'user_deleted');
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'user.deleted', targetId: id }, deletedAt));
      });
      bus.publish({ kind: 'user', id });
      lists.adjust(countable(target), undefined);
      return { deletedAt };
    },

    async restore(actor, id) {
      policy.assertCanRestore(actor);
      const restored = await storage.transaction(async (s) => {
        const deleted = await s.users.deletedById(id);
        if (!deleted) throw notFound('Deleted user', id);
        const taken = await s.users.taken(deleted);
        if (taken) throw duplicate(taken, deleted[taken]);
        const user = await s.users.restore(deleted, nextUpdatedAt(deleted.updatedAt, now()));
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'user.restored', targetId: id }, user.updatedAt));
        return user;
      });
      lists.adjust(undefined, countable(restored));
      return restored;
    },

    async changePassword(actor, oldPassword, newPassword) {
      const self = policy.selfOf(actor);
      const errors: FieldErrors = {};
      checkPassword(errors, newPassword, 'new_password');
      if (oldPassword === newPassword) errors.new_password ??= 'New password must differ from the old one';
      failIfInvalid(errors);
      const me = await load(self);
      await strength.check(errors, 'new_password', newPassword, [me.username, me.email, me.firstName, me.lastName]);
      failIfInvalid(errors);
      await provePassword(actor, self, oldPassword, 'old_password', 'Old password');
      await write(actor, self, { passwordHash: await hasher.hash(newPassword, [`user:${self}`]) });
    },

    markEmailVerified: (id, client) => write(systemPrincipal(client), id, { emailVerified: true }),

    async resetPassword(id, newPassword, client, spend) {
      const user = await load(id);
      const errors: FieldErrors = {};
      checkPassword(errors, newPassword, 'new_password');
      await strength.check(errors, 'new_password', newPassword, [
        user.username,
        user.email,
        user.firstName,
        user.lastName,
      ]);
      failIfInvalid(errors);
      await spend();
      await write(systemPrincipal(client), id, {
        passwordHash: await hasher.hash(newPassword, [addressOf(client.ip), `user:${id}`]),
      });
    },

    ...userTransfer({
      storage,
      hasher,
      now,
      writer,
      userSchema: deps.userSchema,
      box: deps.box,
      foreignKeys: deps.foreignKeys,
    }),
    lookup: async (login) => (await storage.users.credentials(login))?.user,
    picture: (pictureId) => storage.users.picture(pictureId),
  };
}
