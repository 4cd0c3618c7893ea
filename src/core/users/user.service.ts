import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Database, uniqueViolation } from '../../db/database.js';
import type { Schema } from '../../db/schema.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { AppError, WrongPasswordError, notFound, validationError, type FieldErrors } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import * as policy from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import * as sessions from '../sessions/session.repository.js';
import { type ClientInfo, DEFAULT_PREFERENCES, type Principal, type Role, type Status, type User } from '../types.js';
import { countable } from './user.counts.js';
import { type ListQuery, type ListResult, createUserLister } from './user.list.js';
import * as repo from './user.repository.js';
import { checkPassword, checkSearch, checkUserFields, type UserFields } from './user.rules.js';
import type { Picture } from './picture.js';

export interface NewUser extends UserFields {
  username: string;
  email: string;
  picture?: Picture;
}

export interface UserChanges extends UserFields {
  picture?: Picture | null;
  /** Proves the caller is the account's owner when their password login is not recent (see reauthWindow). */
  currentPassword?: string;
}

export interface CreateOptions {
  /** Who asked (the hashing queue is shared fairly by address). */
  client: ClientInfo;
  /** The status when the input gives none (default active). */
  defaultStatus?: Status;
}

export interface UserService {
  /** Registration (actor null) or creation by an authenticated caller. */
  create(actor: Principal | null, input: NewUser, options: CreateOptions): Promise<User>;
  get(actor: Principal, id: string): Promise<User>;
  list(actor: Principal, query: ListQuery): Promise<ListResult>;
  /** Changes exactly the fields present in `changes` (null clears an optional one). */
  update(actor: Principal, id: string, changes: UserChanges): Promise<User>;
  /** Soft delete: the user disappears from reads, lists and logins, and every session ends. */
  remove(actor: Principal, id: string): Promise<{ deletedAt: string }>;
  changePassword(actor: Principal, oldPassword: string, newPassword: string): Promise<void>;
  picture(pictureId: string): Promise<Picture | undefined>;
  /** A live user by username or email, for the system's own checks (no principal, no policy). */
  lookup(login: { username?: string; email?: string }): Promise<User | undefined>;
}

export interface UserServiceDeps {
  database: Database;
  hasher: PasswordHasher;
  bus: EventBus;
  now: () => number;
  /** Seconds after a password login within which one's own password or email may change without current_password. */
  reauthWindow: number;
}

type Db = Kysely<Schema> | Transaction<Schema>;

const duplicate = (field: string, value: string) =>
  new AppError('DUPLICATE_RESOURCE', field === 'email' ? 'Email already exists' : 'Username already exists', { field, value });

/** Turns a unique-index violation into the 409 the specs ask for; rethrows anything else. */
function rethrowDuplicate(error: unknown, input: { username?: string; email?: string }): never {
  const index = uniqueViolation(error);
  if (index?.includes('email')) throw duplicate('email', input.email ?? '');
  if (index?.includes('username')) throw duplicate('username', input.username ?? '');
  throw error;
}

function failIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw validationError(errors);
}

const profileColumns = (f: UserFields) => ({
  ...(f.firstName !== undefined && { first_name: f.firstName, first_name_key: repo.nameKey(f.firstName) }),
  ...(f.lastName !== undefined && { last_name: f.lastName, last_name_key: repo.nameKey(f.lastName) }),
  ...(f.phoneNumber !== undefined && { phone_number: f.phoneNumber }),
  ...(f.dateOfBirth !== undefined && { date_of_birth: f.dateOfBirth }),
  ...(f.bio !== undefined && { bio: f.bio }),
  ...(f.theme !== undefined && { pref_theme: f.theme }),
  ...(f.notifications !== undefined && { pref_notifications: f.notifications ? 1 : 0 }),
  ...(f.role !== undefined && { role: f.role }),
  ...(f.status !== undefined && { status: f.status }),
});

export function createUserService(deps: UserServiceDeps): UserService {
  const { database, hasher, bus, now } = deps;
  const db = database.db;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const lister = createUserLister(database, now);
  const userById = repo.userByIdReader(database);
  // Lock rows for the last-admin check on PostgreSQL; SQLite serialises writers anyway.
  const lockRows = database.dialect === 'postgres';

  async function load(dbOrTrx: Db, id: string): Promise<User> {
    const user = await repo.findUserById(dbOrTrx, id);
    if (!user) throw notFound('User', id);
    return user;
  }

  async function insertPicture(trx: Db, userId: string, picture: Picture): Promise<string> {
    // Random, not time-ordered: the id is the capability for the public picture URL.
    const id = randomBytes(16).toString('base64url');
    await trx.insertInto('pictures').values({ id, user_id: userId, content_type: picture.contentType, data: picture.data, size: picture.data.length, created_at: iso() }).execute();
    return id;
  }

  /** 409 before hashing a password, when the username or email is visibly taken (the unique indexes still decide races). */
  async function assertNotTaken(input: { username?: string; email?: string }, exceptId?: string) {
    // One indexed lookup per key: an OR of the two makes SQLite scan the whole table.
    const taken = async (column: 'username_key' | 'email_key', key: string) =>
      (await db
        .selectFrom('users')
        .select('id')
        .where('deleted_at', 'is', null)
        .where(column, '=', key)
        .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
        .executeTakeFirst()) !== undefined;
    if (input.username !== undefined && (await taken('username_key', repo.usernameKey(input.username)))) throw duplicate('username', input.username);
    if (input.email !== undefined && (await taken('email_key', repo.emailKey(input.email)))) throw duplicate('email', input.email);
  }

  /** Refuses (422) a change that would leave no active admin. */
  async function keepAnAdmin(trx: Db, target: User, role: Role | undefined, status: Status | undefined) {
    const wasActiveAdmin = target.role === 'admin' && target.status === 'active';
    const staysActiveAdmin = (role ?? target.role) === 'admin' && (status ?? target.status) === 'active';
    if (!wasActiveAdmin || staysActiveAdmin) return;
    if ((await repo.countOtherActiveAdmins(trx, target.id, lockRows)) === 0) {
      throw new AppError('UNPROCESSABLE_ENTITY', 'The last active admin cannot be demoted or deactivated', { id: target.id });
    }
  }

  /**
   * Changing one's own password or email needs a recent password login
   * (a refresh does not count), or the current password. A stolen access
   * token alone cannot take the account over.
   */
  async function assertRecentlyAuthenticated(actor: Principal, currentPassword: string | undefined) {
    const self = policy.selfOf(actor);
    if (currentPassword !== undefined) {
      const hash = await repo.findPasswordHash(db, self);
      if (!hash || !(await hasher.verify(hash, currentPassword, [`user:${self}`]))) throw new WrongPasswordError('current_password', 'Current password');
      return;
    }
    if (actor.authAt === null || now() - actor.authAt > deps.reauthWindow * 1000) throw new AppError('REAUTHENTICATION_REQUIRED');
  }

  return {
    async create(actor, input, options) {
      failIfInvalid(checkUserFields(input));
      policy.assertCanCreate(actor, input);
      if (input.password === undefined) {
        if (!actor) throw validationError({ password: 'Password is required' });
        policy.assertCanProvision(actor);
      }
      await assertNotTaken(input);
      const passwordHash = input.password === undefined ? null : await hasher.hash(input.password, [addressOf(options.client.ip)]);
      const at = iso();
      const id = uuidv7();
      const row: repo.UserRow = {
        id,
        username: input.username,
        username_key: repo.usernameKey(input.username),
        email: input.email,
        email_key: repo.emailKey(input.email),
        password_hash: passwordHash,
        role: input.role ?? 'user',
        status: input.status ?? options.defaultStatus ?? 'active',
        first_name: input.firstName ?? null,
        first_name_key: repo.nameKey(input.firstName),
        last_name: input.lastName ?? null,
        last_name_key: repo.nameKey(input.lastName),
        phone_number: input.phoneNumber ?? null,
        date_of_birth: input.dateOfBirth ?? null,
        bio: input.bio ?? null,
        picture_id: null,
        pref_theme: input.theme ?? DEFAULT_PREFERENCES.theme,
        pref_notifications: (input.notifications ?? DEFAULT_PREFERENCES.notifications) ? 1 : 0,
        search_text: '',
        created_at: at,
        updated_at: at,
        last_login_at: null,
        deleted_at: null,
      };
      row.search_text = repo.searchText(row);
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertUser(trx, row);
          if (input.picture) await repo.updateUserRow(trx, id, { picture_id: await insertPicture(trx, id, input.picture) });
        });
      } catch (error) {
        rethrowDuplicate(error, input);
      }
      const created = await load(db, id);
      lister.adjust(undefined, countable(created));
      return created;
    },

    async get(actor, id) {
      policy.assertCanRead(actor, id);
      const user = await userById(id);
      if (!user) throw notFound('User', id);
      return user;
    },

    async list(actor, query) {
      policy.assertCanList(actor);
      const problem = query.search === undefined ? undefined : checkSearch(query.search);
      if (problem) throw validationError({ search: problem });
      return lister.list(query);
    },

    async update(actor, id, changes) {
      policy.assertCanRead(actor, id);
      failIfInvalid(checkUserFields(changes));
      const target = await load(db, id);
      const { role, status, currentPassword, ...rest } = changes;
      policy.assertCanUpdate(actor, target, { role, status, other: Object.values(rest).some((v) => v !== undefined) });
      const username = changes.username !== undefined && changes.username !== target.username ? changes.username : undefined;
      const email = changes.email !== undefined && changes.email !== target.email ? changes.email : undefined;
      if (policy.isSelf(actor, id) && (changes.password !== undefined || email !== undefined)) await assertRecentlyAuthenticated(actor, currentPassword);
      await assertNotTaken({ username, email }, id);
      const passwordHash = changes.password === undefined ? undefined : await hasher.hash(changes.password, [`user:${actor.userId ?? actor.apiKeyId}`]);

      try {
        await db.transaction().execute(async (trx) => {
          await keepAnAdmin(trx, target, role, status);
          const current = await load(trx, id);
          const next = {
            username: username ?? current.username,
            email: email ?? current.email,
            first_name: changes.firstName !== undefined ? changes.firstName : current.firstName,
            last_name: changes.lastName !== undefined ? changes.lastName : current.lastName,
          };
          let pictureId: string | null | undefined;
          if (changes.picture !== undefined) {
            await trx.deleteFrom('pictures').where('user_id', '=', id).execute();
            pictureId = changes.picture && (await insertPicture(trx, id, changes.picture));
          }
          // updated_at moves on every change, even two within one millisecond.
          const updatedAt = iso(Math.max(now(), Date.parse(current.updatedAt) + 1));
          await repo.updateUserRow(trx, id, {
            ...profileColumns(changes),
            ...(username !== undefined && { username, username_key: repo.usernameKey(username) }),
            ...(email !== undefined && { email, email_key: repo.emailKey(email) }),
            ...(passwordHash !== undefined && { password_hash: passwordHash }),
            ...(pictureId !== undefined && { picture_id: pictureId }),
            search_text: repo.searchText(next),
            updated_at: updatedAt,
          });
          if ((status !== undefined && status !== 'active') || passwordHash !== undefined) {
            // A deactivated user loses every session; a new password ends every other one.
            const keep = passwordHash !== undefined && status === undefined && actor.userId === id ? actor.sessionId ?? undefined : undefined;
            await sessions.revokeUserSessions(trx, id, iso(), status !== undefined ? 'status_changed' : 'password_changed', keep);
          }
        });
      } catch (error) {
        rethrowDuplicate(error, { username, email });
      }
      bus.publish({ kind: 'user', id });
      const updated = await load(db, id);
      lister.adjust(countable(target), countable(updated));
      return updated;
    },

    async remove(actor, id) {
      policy.assertCanRead(actor, id);
      const target = await load(db, id);
      policy.assertCanDelete(actor, target);
      const deletedAt = iso(Math.max(now(), Date.parse(target.updatedAt) + 1));
      await db.transaction().execute(async (trx) => {
        if (!(await repo.updateUserRow(trx, id, { deleted_at: deletedAt, updated_at: deletedAt }))) throw notFound('User', id);
        await trx.deleteFrom('pictures').where('user_id', '=', id).execute();
        await sessions.revokeUserSessions(trx, id, deletedAt, 'user_deleted');
      });
      bus.publish({ kind: 'user', id });
      lister.adjust(countable(target), undefined);
      return { deletedAt };
    },

    async changePassword(actor, oldPassword, newPassword) {
      const self = policy.selfOf(actor);
      const errors: FieldErrors = {};
      checkPassword(errors, newPassword, 'new_password');
      if (oldPassword === newPassword) errors.new_password ??= 'New password must differ from the old one';
      failIfInvalid(errors);
      const hash = await repo.findPasswordHash(db, self);
      if (hash === undefined) throw notFound('User', self);
      if (hash === null || !(await hasher.verify(hash, oldPassword, [`user:${self}`]))) throw new WrongPasswordError('old_password', 'Old password');
      const nextHash = await hasher.hash(newPassword, [`user:${self}`]);
      await db.transaction().execute(async (trx) => {
        const current = await load(trx, self);
        await repo.updateUserRow(trx, self, { password_hash: nextHash, updated_at: iso(Math.max(now(), Date.parse(current.updatedAt) + 1)) });
        await sessions.revokeUserSessions(trx, self, iso(), 'password_changed', actor.sessionId ?? undefined);
      });
      bus.publish({ kind: 'user', id: self });
    },

    async lookup(login) {
      return (await repo.findCredentials(db, login))?.user;
    },

    async picture(pictureId) {
      const row = await db.selectFrom('pictures').select(['content_type', 'data']).where('id', '=', pictureId).executeTakeFirst();
      return row && { contentType: row.content_type, data: Buffer.from(row.data) };
    },
  };
}
