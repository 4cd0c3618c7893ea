import type { AuditEvent, AuditType } from './audit.js';
import type { SignInMethod } from './types.js';

/**
 * The storage interfaces of the records around users: the audit trail,
 * idempotency keys, the mail outbox, one-time codes and the second factor
 * (storage.ts gathers these with the users', the sessions' and the keys' files).
 */

/** Which audit events to list: newest first, before the cursor's id, filtered. */
export interface AuditQuery {
  actorId?: string;
  targetId?: string;
  type?: AuditType;
  since?: string;
  until?: string;
  beforeId?: string;
  limit: number;
}

export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  list(query: AuditQuery): Promise<AuditEvent[]>;
  deleteBefore(at: string): Promise<void>;
}

/** A stored answer to a request sent with an Idempotency-Key. */
export interface IdempotencyRecord {
  requestHash: string;
  /** Null while the first request is still in flight. */
  status: number | null;
  body: string | null;
}

export interface IdempotencyStore {
  /**
   * Claims the key for a first request of `caller`; false when a live record holds it already (expired ones are
   * replaced).
   */
  claim(scopeKey: string, caller: string, requestHash: string, at: string, expiresAt: string): Promise<boolean>;
  find(scopeKey: string): Promise<IdempotencyRecord | undefined>;
  complete(scopeKey: string, status: number, body: string): Promise<void>;
  /** Lets the key be used again (the first request failed without an answer worth replaying). */
  release(scopeKey: string): Promise<void>;
  /** Deletes the caller's oldest records beyond its newest `keep`. */
  trim(caller: string, keep: number): Promise<void>;
  deleteExpired(before: string): Promise<void>;
}

/** A mail waiting to be sent: written in the transaction of the change that causes it. */
export interface OutgoingMail {
  id: string;
  to: string;
  template: string;
  data: Record<string, string>;
  attempts: number;
}

export interface MailStore {
  enqueue(mail: { id: string; to: string; template: string; data: Record<string, string> }, at: string): Promise<void>;
  /** Claims up to `limit` due mails until `lockUntil` (skipping ones another instance holds). */
  claim(at: string, lockUntil: string, limit: number): Promise<OutgoingMail[]>;
  sent(id: string, at: string): Promise<void>;
  failed(id: string, attempts: number, nextAttemptAt: string, error: string): Promise<void>;
  /** Mails not yet sent, and when the oldest of them was queued (the metrics' outbox depth). */
  pending(): Promise<{ count: number; oldestAt: string | null }>;
}

export type CodePurpose = 'verify_email' | 'reset_password' | 'sign_in';

export interface OneTimeCode {
  id: string;
  userId: string;
  email: string;
  codeHash: string;
  attempts: number;
  expiresAt: string;
}

export interface CodeStore {
  /** Stores a new code, and voids the user's earlier unused codes for the purpose. */
  issue(code: OneTimeCode & { purpose: CodePurpose }, at: string): Promise<void>;
  /** The user's live (unused, unexpired) code for the purpose, if any. */
  live(userId: string, purpose: CodePurpose, at: string): Promise<OneTimeCode | undefined>;
  /**
   * Counts one try at the code, in one statement, only while it is unused
   * and has fewer than `max` tries: answers the tries so far, or undefined
   * when none was left (so parallel tries never count past `max`).
   */
  countTry(id: string, max: number): Promise<number | undefined>;
  /** Takes back the try of a code proved right (only wrong tries stay counted). */
  uncountTry(id: string): Promise<void>;
  /** Uses the code up, in one statement; false when it was used already (a race). */
  use(id: string, at: string): Promise<boolean>;
}

/** A second factor's state, recovery codes and login challenges. */
export interface MfaStore {
  secrets(
    userId: string,
  ): Promise<{ secret: string | null; pending: string | null; lastStep: number | null } | undefined>;
  setPending(userId: string, secret: string | null): Promise<void>;
  /** Turns the pending secret on and stores the recovery codes' hashes (replacing any). */
  enable(userId: string, secret: string, recoveryHashes: string[]): Promise<void>;
  disable(userId: string): Promise<void>;
  /** Records a used TOTP step, only if it is later than the last one (so a code is never accepted twice). */
  useStep(userId: string, step: number): Promise<boolean>;
  useRecoveryCode(userId: string, hash: string, at: string): Promise<boolean>;
  createChallenge(c: {
    tokenHash: string;
    userId: string;
    at: string;
    expiresAt: string;
    ip: string | null;
    userAgent: string | null;
    /** How the first factor was proved, for the login's audit once the second is. */
    method?: SignInMethod | undefined;
    providerId?: string | undefined;
    /** The organization the login asked for, for the tokens the verify step gives. */
    organizationId?: string | undefined;
  }): Promise<void>;
  challenge(
    tokenHash: string,
    at: string,
  ): Promise<
    | { userId: string; attempts: number; method?: SignInMethod; providerId?: string; organizationId?: string }
    | undefined
  >;
  /**
   * Counts one answer to a live, unused challenge, only while fewer than `max` were counted (atomic): false when none
   * is left.
   */
  claimAttempt(tokenHash: string, at: string, max: number): Promise<boolean>;
  useChallenge(tokenHash: string, at: string): Promise<boolean>;
  /** Users with a TOTP secret (on or pending), in id order after `after`: for sealing them at start. */
  secretsPage(after: string, limit: number): Promise<{ id: string; secret: string | null; pending: string | null }[]>;
  /** Rewrites a user's TOTP secrets (sealed), only if they are still `was`. */
  reseal(
    userId: string,
    was: { secret: string | null; pending: string | null },
    now: { secret: string | null; pending: string | null },
  ): Promise<void>;
}
