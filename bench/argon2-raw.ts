import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_PARAMS } from '../src/core/security/password-hasher.js';

/**
 * Raw argon2id throughput at Usher's parameters, in its own process: as many
 * verifies (or hashes) as the cores take, back to back, for the given seconds.
 * Prints one JSON line: {op, perSecond}.
 */
const op = process.argv[2] === 'hash' ? 'hash' : 'verify';
const seconds = Number(process.argv[3] ?? 10);
const parallel = Number(process.argv[4] ?? availableParallelism());
const password = 'SecurePass123!';
const stored = await hash(password, ARGON2_PARAMS);
const until = Date.now() + seconds * 1000;
let done = 0;
async function worker(): Promise<void> {
  while (Date.now() < until) {
    if (op === 'verify') await verify(stored, password);
    else await hash(password, ARGON2_PARAMS);
    done++;
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: parallel }, worker));
process.stdout.write(`${JSON.stringify({ op, perSecond: done / ((Date.now() - started) / 1000) })}\n`);
