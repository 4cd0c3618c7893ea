import { hash, verify } from '@node-rs/argon2';
import { Semaphore } from '../semaphore.js';

/** OWASP's minimum for argon2id: m=19 MiB, t=2, p=1. */
// algorithm 2 is Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import).
export const ARGON2_PARAMS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const PARAMS_TAG = `m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}`;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the same work as a real verify, so an unknown user costs what a known one does. */
  verifyDummy(password: string): Promise<void>;
  needsRehash(passwordHash: string): boolean;
}

/**
 * argon2id on libuv's thread pool, never on the event loop. At most
 * `concurrency` hashes run at once (each holds 19 MiB), the rest queue, so
 * memory stays flat under a login flood and reads keep a core.
 */
export async function createPasswordHasher(concurrency: number, maxQueue = 10_000): Promise<PasswordHasher> {
  const gate = new Semaphore(concurrency, maxQueue);
  const dummyHash = await hash('usher-dummy-password-0', ARGON2_PARAMS);
  const check = (passwordHash: string, password: string) =>
    gate.run(() => verify(passwordHash, password).catch(() => false));
  return {
    hash: (password) => gate.run(() => hash(password, ARGON2_PARAMS)),
    verify: check,
    verifyDummy: async (password) => {
      await check(dummyHash, password);
    },
    needsRehash: (passwordHash) => !passwordHash.startsWith('$argon2id$') || !passwordHash.includes(`$${PARAMS_TAG}$`),
  };
}
