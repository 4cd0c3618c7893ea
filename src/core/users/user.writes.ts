import { type CodeSettings, sendCode } from '../account/codes.js';
import { auditEvent, sourceOf } from '../audit.js';
import { AppError, notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Storage, Stores, UserRecordChanges } from '../storage.js';
import type { Principal, Status, User } from '../types.js';
import { changeEvents, sessionsToEnd } from './user.changes.js';
import { type Countable, countable } from './user.counts.js';
import { duplicate, nextUpdatedAt } from './user.rules.js';
import type { Precondition } from './user.types.js';

/** Refuses (412) a write whose precondition names a version that is no longer current. */
export function currentOrFail(user: User, ifMatch: Precondition | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(user.updatedAt)) {
    throw new AppError('PRECONDITION_FAILED', undefined, { id: user.id });
  }
}

/**
 * Refuses (409) a username or email another live user visibly has, before a password is hashed (the unique indexes
 * still decide races).
 */
export async function assertNotTaken(
  storage: Storage,
  keys: { username?: string; email?: string },
  exceptId?: string,
): Promise<void> {
  const field = await storage.users.taken(keys, exceptId);
  if (field) throw duplicate(field, keys[field] ?? '');
}

/** Refuses (422) a change that would leave no active admin. */
async function keepAnAdmin(s: Stores, target: User, c: { role?: string; status?: Status }): Promise<void> {
  const wasActiveAdmin = target.role === 'admin' && target.status === 'active';
  const staysActiveAdmin = (c.role ?? target.role) === 'admin' && (c.status ?? target.status) === 'active';
  if (!wasActiveAdmin || staysActiveAdmin) return;
  if ((await s.users.otherActiveAdmins(target.id)) === 0) {
    throw new AppError('UNPROCESSABLE_ENTITY', 'The last active admin cannot be demoted or deactivated', {
      id: target.id,
    });
  }
}

/** A write's changes; `customDataOf` makes the new custom_data from the locked row (a merge loses no update). */
export type WriteChanges = Omit<UserRecordChanges, 'updatedAt'> & {
  customDataOf?: (current: User) => Readonly<Record<string, unknown>>;
};

export interface WriterDeps {
  storage: Storage;
  bus: EventBus;
  now: () => number;
  codes: CodeSettings;
  /** Keeps cached totals exact. */
  adjust(before: Countable | undefined, after: Countable | undefined): void;
}

/** What the caches and totals must hear of a write, once its transaction has committed. */
export interface Written {
  id: string;
  before: Countable;
  after: Countable;
}

/**
 * Every change to a user goes through the functions this makes: `writeIn`
 * does, inside a transaction, the locked read, the precondition, the
 * last-admin rule, the write (answering with the written row), the
 * verification mail a new address needs, the sessions the change ends and its
 * audit events; `announce`, once that transaction has committed, tells caches
 * (the bus) and totals. `write` is both around a transaction of its own; the
 * import runs `writeIn` in its one transaction and announces at its end.
 */
export function userWriter(deps: WriterDeps) {
  const { storage, bus, now } = deps;
  const iso = () => new Date(now()).toISOString();
  async function writeIn(
    s: Stores,
    actor: Principal,
    id: string,
    write: WriteChanges,
    ifMatch?: Precondition,
  ): Promise<{ user: User; written: Written }> {
    const current = await s.users.byIdForUpdate(id);
    if (!current) throw notFound('User', id);
    currentOrFail(current, ifMatch);
    const { customDataOf, ...changes } = write;
    if (customDataOf) changes.customData = customDataOf(current);
    await keepAnAdmin(s, current, changes);
    const user = await s.users.update(current, { ...changes, updatedAt: nextUpdatedAt(current.updatedAt, now()) });
    if (changes.emailVerified === false) await sendCode(s, user, 'verify_email', deps.codes);
    const end = sessionsToEnd(actor, id, changes);
    if (end) await s.sessions.revokeAllOf(id, iso(), end.reason, end.keep);
    for (const entry of changeEvents(current, changes))
      await s.audit.record(auditEvent(sourceOf(actor), entry, user.updatedAt));
    return { user, written: { id, before: countable(current), after: countable(user) } };
  }
  function announce(w: Written): void {
    bus.publish({ kind: 'user', id: w.id });
    deps.adjust(w.before, w.after);
  }
  async function write(
    actor: Principal,
    id: string,
    changes: WriteChanges,
    ifMatch?: Precondition,
    alongside?: Alongside,
  ): Promise<User> {
    const { user, written } = await storage.transaction(async (s) => {
      const done = await writeIn(s, actor, id, changes, ifMatch);
      if (alongside) await alongside(s, done.user);
      return done;
    });
    announce(written);
    return user;
  }
  return { write, writeIn, announce };
}

export type UserWriter = ReturnType<typeof userWriter>;

/** What a caller writes in the same transaction as a user's change (SCIM's provisioning row), given the written user. */
export type Alongside = (s: Stores, user: User) => Promise<void>;
