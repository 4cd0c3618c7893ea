import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ForeignCheck } from './foreign-hashes.js';

const require = createRequire(import.meta.url);

/** How a foreign check ended: the password matched, did not, took too long (abandoned), or the verifier closed. */
export type ForeignOutcome = 'ok' | 'wrong' | 'timed_out' | 'closed';

/**
 * The worker's whole program (CommonJS, so it runs the same from src/ and
 * from the bundle): the algorithm's primitive over inputs already read and
 * bounded on the main thread (foreign-hashes.ts). bcryptjs is JavaScript, so
 * on the event loop one cost-16 check held every request for seconds; here
 * it holds only its worker, which is terminated when the check runs too long.
 */
const program = `
const { parentPort, workerData } = require('node:worker_threads');
const { pbkdf2Sync, scryptSync, createCipheriv, timingSafeEqual } = require('node:crypto');
const bcrypt = require(workerData.bcrypt);
const argon2 = require(workerData.argon2);
function check(c, password) {
  if (c.algorithm === 'bcrypt') return bcrypt.compareSync(password, c.hash);
  if (c.algorithm === 'argon2') return argon2.verifySync(c.hash, password);
  if (c.algorithm === 'pbkdf2') {
    const want = Buffer.from(c.expected, 'base64');
    const salt = Buffer.from(c.salt, 'base64');
    return timingSafeEqual(pbkdf2Sync(password, salt, c.iterations, want.length, c.digest), want);
  }
  if (c.algorithm === 'firebase-scrypt') {
    const want = Buffer.from(c.expected, 'base64');
    const key = Buffer.from(c.signerKey, 'base64');
    if (key.length !== want.length) return false;
    const N = 2 ** c.memCost;
    const salt = Buffer.concat([Buffer.from(c.salt, 'base64'), Buffer.from(c.separator, 'base64')]);
    const derived = scryptSync(password, salt, 32, { N, r: c.rounds, p: 1, maxmem: 256 * N * c.rounds + 4194304 });
    const cipher = createCipheriv('aes-256-ctr', derived, Buffer.alloc(16));
    return timingSafeEqual(Buffer.concat([cipher.update(key), cipher.final()]), want);
  }
  return false;
}
parentPort.on('message', ({ check: c, password }) => {
  let ok = false;
  try { ok = check(c, password) === true; } catch { ok = false; }
  parentPort.postMessage(ok);
});
`;

export interface ForeignRun {
  /** The answer, at the latest when the time bound passes. */
  answer: Promise<ForeignOutcome>;
  /**
   * When the work has really stopped (an abandoned check in native code runs until it returns): hold the slot until
   * then.
   */
  settled: Promise<void>;
}

interface Slot {
  worker: Worker;
  idle: NodeJS.Timeout | undefined;
}

/**
 * Runs foreign hash checks in worker threads, one check per worker at a
 * time, each bounded in time: a check past `timeoutMs` is answered
 * `timed_out` and its worker terminated. The caller bounds how many run at
 * once (the hasher's fair queue); idle workers stop after `idleMs`.
 */
export class ForeignVerifier {
  private readonly idle: Slot[] = [];
  /** How to abandon each running check (answered `closed`, its worker terminated). */
  private readonly busy = new Set<() => void>();
  private closed = false;

  constructor(private readonly o: { timeoutMs: number; idleMs?: number }) {}

  run(check: ForeignCheck, password: string): ForeignRun {
    if (this.closed) return { answer: Promise.resolve('closed'), settled: Promise.resolve() };
    const slot = this.idle.pop() ?? this.start();
    clearTimeout(slot.idle);
    const { worker } = slot;
    worker.ref();
    let finish!: (outcome: ForeignOutcome) => void;
    let settle!: () => void;
    const answer = new Promise<ForeignOutcome>((resolve) => (finish = resolve));
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const end = (outcome: ForeignOutcome, keep: boolean) => {
      if (!this.busy.delete(abandon)) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      finish(outcome);
      if (keep && !this.closed) {
        worker.unref();
        slot.idle = setTimeout(() => this.retire(slot), this.o.idleMs ?? 60_000).unref();
        this.idle.push(slot);
        settle();
      } else {
        // Terminating waits for native code (PBKDF2, argon2) to return; the slot stays held until it has.
        worker.terminate().then(settle, settle);
      }
    };
    const onMessage = (ok: boolean) => end(ok ? 'ok' : 'wrong', true);
    const onExit = () => end('wrong', false);
    const timer = setTimeout(() => end('timed_out', false), this.o.timeoutMs);
    const abandon = () => end('closed', false);
    this.busy.add(abandon);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.postMessage({ check, password });
    return { answer, settled };
  }

  /** Abandons every running check (answered `closed`) and stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const abandon of [...this.busy]) abandon();
    await Promise.all(this.idle.splice(0).map((slot) => this.retire(slot)));
  }

  private start(): Slot {
    const worker = new Worker(program, {
      eval: true,
      workerData: { bcrypt: require.resolve('bcryptjs'), argon2: require.resolve('@node-rs/argon2') },
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
    });
    worker.on('error', () => {});
    return { worker, idle: undefined };
  }

  private async retire(slot: Slot): Promise<void> {
    clearTimeout(slot.idle);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    await slot.worker.terminate();
  }
}
