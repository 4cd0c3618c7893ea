import { AppError } from '../errors.js';

export interface FairQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks one key (an address, an account) may have waiting at once; more are refused at once. */
  perKey: number;
  /** Tasks waiting in all; more are refused at once. */
  total: number;
  /** How long a task may wait for a slot before it is refused. */
  timeoutMs: number;
}

interface Waiter {
  keys: readonly string[];
  start: () => void;
  timer: NodeJS.Timeout;
}

const busy = (seconds: number) =>
  new AppError('SERVICE_UNAVAILABLE', 'Too many password checks in progress; try again shortly', { retry_after: seconds });

/**
 * Bounds how many tasks (password hashes) run at once, and shares the wait
 * fairly: waiting tasks are queued per key (the first key given, the caller's
 * address) and started round-robin across keys, so a flood from one address
 * waits behind itself, not in front of everybody. Each key may hold only
 * `perKey` waiting tasks, and no task waits longer than `timeoutMs`: under a
 * flood a request is answered 503 with Retry-After within seconds, never
 * queued for half a minute.
 */
export class FairQueue {
  private active = 0;
  private waitingCount = 0;
  private readonly lanes = new Map<string, Waiter[]>();
  private readonly waitingPerKey = new Map<string, number>();

  constructor(private readonly o: FairQueueOptions) {}

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    if (this.active >= this.o.concurrency) await this.wait(keys.length > 0 ? keys : ['']);
    else this.active++;
    try {
      return await task();
    } finally {
      this.next();
    }
  }

  private wait(keys: readonly string[]): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(this.o.timeoutMs / 1000));
    if (this.waitingCount >= this.o.total || keys.some((k) => (this.waitingPerKey.get(k) ?? 0) >= this.o.perKey)) {
      return Promise.reject(busy(retryAfter));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        keys,
        start: resolve,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(busy(retryAfter));
        }, this.o.timeoutMs),
      };
      const lane = keys[0]!;
      const queue = this.lanes.get(lane);
      if (queue) queue.push(waiter);
      else this.lanes.set(lane, [waiter]);
      this.count(waiter, 1);
    });
  }

  /** A slot came free: hand it to the first waiter of the lane whose turn it is, and send that lane to the back. */
  private next(): void {
    const turn = this.lanes.entries().next();
    if (turn.done) {
      this.active--;
      return;
    }
    const [lane, queue] = turn.value;
    const waiter = queue.shift()!;
    this.lanes.delete(lane);
    if (queue.length > 0) this.lanes.set(lane, queue);
    this.count(waiter, -1);
    clearTimeout(waiter.timer);
    waiter.start();
  }

  private remove(waiter: Waiter): void {
    const lane = waiter.keys[0]!;
    const queue = this.lanes.get(lane);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.lanes.delete(lane);
    this.count(waiter, -1);
  }

  private count(waiter: Waiter, delta: 1 | -1): void {
    this.waitingCount += delta;
    for (const k of waiter.keys) {
      const n = (this.waitingPerKey.get(k) ?? 0) + delta;
      if (n === 0) this.waitingPerKey.delete(k);
      else this.waitingPerKey.set(k, n);
    }
  }
}
