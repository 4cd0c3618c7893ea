import { hash, verify } from '@node-rs/argon2';
import { FairQueue } from './fair-queue.js';
import { verifyForeign } from './foreign-hashes.js';

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

export interface PasswordHasher {
  hash(password: string, keys: HashKeys): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(passwordHash: string, password: string, keys: HashKeys): Promise<boolean>;
  /** Spends the same work as a real verify, so an unknown user costs what a known one does. */
  verifyDummy(password: string, keys: HashKeys): Promise<void>;
  needsRehash(passwordHash: string): boolean;
}

export interface HasherOptions {
  /** Hashes running at once (each holds 19 MiB). */
  concurrency: number;
  /** Seconds a hash may wait for a slot before the request is refused with 503. */
  queueTimeout: number;
}

/**
 * argon2id on libuv's thread pool, never on the event loop. At most
 * `concurrency` hashes run at once, so memory stays flat under a login flood
 * and reads keep a core; the rest wait in a fair, time-bounded queue
 * (fair-queue.ts), at most 64 per key.
 */
export async function createPasswordHasher(o: HasherOptions): Promise<PasswordHasher> {
  const gate = new FairQueue({ concurrency: o.concurrency, perKey: 64, total: 10_000, timeoutMs: o.queueTimeout * 1000 });
  // Made in the background while the server starts (a hash is the slowest step of a start); the first unknown-user login waits for it.
  const dummyHash = hash('usher-dummy-password-0', ARGON2_PARAMS);
  dummyHash.catch(() => {});
  // Imported bcrypt and Django hashes are checked by their own algorithm; needsRehash then replaces them.
  const check = (passwordHash: string, password: string, keys: HashKeys) =>
    gate.run(keys, () => (passwordHash.startsWith('$argon2') ? verify(passwordHash, password).catch(() => false) : verifyForeign(passwordHash, password)));
  return {
    hash: (password, keys) => gate.run(keys, () => hash(password, ARGON2_PARAMS)),
    verify: check,
    verifyDummy: async (password, keys) => {
      await check(await dummyHash, password, keys);
    },
    needsRehash: (passwordHash) => !passwordHash.startsWith('$argon2id$') || !passwordHash.includes(`$${PARAMS_TAG}$`),
  };
}
