import { hash, verify } from '@node-rs/argon2';
import { FairQueue } from './fair-queue.js';
import { AppError } from '../errors.js';
import { readForeignHash } from './foreign-hashes.js';
import { ForeignVerifier } from './foreign-verifier.js';

/** OWASP's minimum for argon2id: m=19 MiB, t=2, p=1. */
// algorithm 2 is Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import).
export const ARGON2_PARAMS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const PARAMS_TAG = `m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}`;

/**
 * Who a hash is done for, so the queue can share fairly: the client's
 * address first (the lane it waits in), then anything else that must not
 * hold more than a small share (the account being logged in to).
 */
export type HashKeys = readonly string[];

/** How a password check ended; anything but `ok` is a failed login (`stopping` a 503 for the caller to retry). */
export type VerifyOutcome = 'ok' | 'wrong' | 'refused' | 'timed_out';

export interface PasswordHasher {
  hash(password: string, keys: HashKeys): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(passwordHash: string, password: string, keys: HashKeys): Promise<boolean>;
  /**
   * The same check, saying why it failed: a hash beyond the bounds is `refused` and one past the time bound
   * `timed_out`.
   */
  check(passwordHash: string, password: string, keys: HashKeys): Promise<VerifyOutcome>;
  /** Spends the same work as a real verify, so an unknown user costs what a known one does. */
  verifyDummy(password: string, keys: HashKeys): Promise<void>;
  needsRehash(passwordHash: string): boolean;
  /**
   * At shutdown: foreign checks, running or waiting, are abandoned (503) so none holds the exit; ordinary ones finish.
   */
  close(): Promise<void>;
  /** Hashes waiting for a slot and running now (for the metrics). */
  depth?(): { waiting: number; running: number };
}

export interface HasherOptions {
  /** Hashes running at once (each holds 19 MiB). */
  concurrency: number;
  /** Seconds a hash may wait for a slot before the request is refused with 503. */
  queueTimeout: number;
  /** Seconds one foreign hash check may run before it is abandoned as a failed login (default 10). */
  checkTimeout?: number;
  /**
   * A key another system's hashes name (Firebase's signer key, sealed in the settings): base64, or undefined when this
   * server does not have it (the hash is then refused).
   */
  foreignKey?: (ref: string) => Promise<string | undefined>;
  /** Told the seconds each hash waited for a slot (the metrics). */
  onWait?: (seconds: number) => void;
}

const closing = () =>
  new AppError('SERVICE_UNAVAILABLE', 'The server is stopping; try again shortly', { retry_after: 1 });

/**
 * argon2id on libuv's thread pool, never on the event loop. At most
 * `concurrency` hashes run at once, so memory stays flat under a login flood
 * and reads keep a core; the rest wait in a fair, time-bounded queue
 * (fair-queue.ts), at most 64 per key. Imported hashes of other systems are
 * read and bounded first (foreign-hashes.ts), then checked in worker threads
 * (foreign-verifier.ts) that hold at most `concurrency - 1` of the slots
 * (one on a single core) and are abandoned after `checkTimeout`.
 */
export async function createPasswordHasher(o: HasherOptions): Promise<PasswordHasher> {
  const heavyConcurrency = Math.max(1, o.concurrency - 1);
  const gate = new FairQueue({
    concurrency: o.concurrency,
    heavyConcurrency,
    perKey: 64,
    total: 10_000,
    timeoutMs: o.queueTimeout * 1000,
    onWait: o.onWait,
  });
  const foreign = new ForeignVerifier({ timeoutMs: (o.checkTimeout ?? 10) * 1000 });
  // Made in the background while the server starts (a hash is the slowest step of a start); the first unknown-user
  // login waits for it.
  const dummyHash = hash('usher-dummy-password-0', ARGON2_PARAMS);
  dummyHash.catch(() => {});
  const own = (passwordHash: string) =>
    passwordHash.startsWith('$argon2id$') && passwordHash.includes(`$${PARAMS_TAG}$`);
  const check = async (passwordHash: string, password: string, keys: HashKeys): Promise<VerifyOutcome> => {
    if (own(passwordHash))
      return (await gate.run(keys, () => verify(passwordHash, password).catch(() => false))) ? 'ok' : 'wrong';
    const read = readForeignHash(passwordHash);
    let foreignCheck = 'check' in read ? read.check : undefined;
    if (foreignCheck?.algorithm === 'firebase-scrypt') {
      // The old project's signer key, which the hash names and the settings keep sealed.
      const signerKey = await o.foreignKey?.(foreignCheck.keyRef).catch(() => undefined);
      foreignCheck = signerKey ? { ...foreignCheck, signerKey } : undefined;
    }
    if (!foreignCheck) {
      // Refused without hashing it; the same work as a wrong password is still spent, so timing tells nothing.
      await check(await dummyHash, password, keys);
      return 'refused';
    }
    const release = await gate.acquire(keys, true);
    const run = foreign.run(foreignCheck, password);
    void run.settled.then(release);
    const outcome = await run.answer;
    if (outcome === 'closed') throw closing();
    return outcome;
  };
  return {
    hash: (password, keys) => gate.run(keys, () => hash(password, ARGON2_PARAMS)),
    verify: async (passwordHash, password, keys) => (await check(passwordHash, password, keys)) === 'ok',
    check,
    verifyDummy: async (password, keys) => {
      await check(await dummyHash, password, keys);
    },
    needsRehash: (passwordHash) => !own(passwordHash),
    depth: () => gate.depth,
    close: async () => {
      gate.refuseHeavy();
      await foreign.close();
    },
  };
}
