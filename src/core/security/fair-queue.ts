import { AppError } from '../errors.js';

export interface FairQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** Of those, heavy tasks (foreign hashes, whose cost the hash's own parameters set) running at once; default all. */
  heavyConcurrency?: number;
  /** Tasks one key (an address, an account) may have waiting at once; more are refused at once. */
  perKey: number;
  /** Tasks waiting in all; more are refused at once. */
  total: number;
  /** How long a task may wait for a slot before it is refused. */
  timeoutMs: number;
  /** Told how many seconds each task that got a slot waited for it (0 when one was free): the metrics' hash wait. */
  onWait?: (seconds: number) => void;
}

interface Waiter {
  keys: readonly string[];
  heavy: boolean;
  since: number;
  start: () => void;
  timer: NodeJS.Timeout;
  reject: (error: AppError) => void;
}

const stopping = () =>
  new AppError('SERVICE_UNAVAILABLE', 'The server is stopping; try again shortly', { retry_after: 1 });
const busy = (seconds: number) =>
  new AppError('SERVICE_UNAVAILABLE', 'Too many password checks in progress; try again shortly', {
    retry_after: seconds,
  });

/**
 * Bounds how many tasks (password hashes) run at once, and shares the wait
 * fairly: waiting tasks are queued per key (the first key given, the caller's
 * address) and started round-robin across keys, so a flood from one address
 * waits behind itself, not in front of everybody. Each key may hold only
 * `perKey` waiting tasks, and no task waits longer than `timeoutMs`: under a
 * flood a request is answered 503 with Retry-After within seconds, never
 * queued for half a minute. Heavy tasks may hold only `heavyConcurrency`
 * slots, so slow foreign hashes never keep ordinary logins out.
 */
export class FairQueue {
  private active = 0;
  private activeHeavy = 0;
  private waitingCount = 0;
  private heavyRefused = false;
  private readonly lanes = new Map<string, Waiter[]>();
  private readonly waitingPerKey = new Map<string, number>();
  private readonly heavyLimit: number;

  constructor(private readonly o: FairQueueOptions) {
    this.heavyLimit = Math.max(1, Math.min(o.concurrency, o.heavyConcurrency ?? o.concurrency));
  }

  /** Tasks waiting for a slot, and tasks running (the metrics' queue depth). */
  get depth(): { waiting: number; running: number } {
    return { waiting: this.waitingCount, running: this.active };
  }

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(keys);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Waits for a slot (fairly, bounded in time); the answer frees it, once. */
  async acquire(keys: readonly string[], heavy = false): Promise<() => void> {
    if (heavy && this.heavyRefused) throw stopping();
    if (this.canStart(heavy)) {
      this.take(heavy);
      this.o.onWait?.(0);
    } else await this.wait(keys.length > 0 ? keys : [''], heavy);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      if (heavy) this.activeHeavy--;
      this.next();
    };
  }

  /**
   * At shutdown: refuses heavy tasks waiting and any new heavy one (the server is stopping, and a heavy task
   * may take seconds); ordinary ones still run, their wait bounded by `timeoutMs`, so in-flight logins finish.
   */
  refuseHeavy(): void {
    this.heavyRefused = true;
    for (const queue of [...this.lanes.values()]) {
      for (const waiter of queue.filter((w) => w.heavy)) {
        this.remove(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(stopping());
      }
    }
  }

  private canStart(heavy: boolean): boolean {
    return this.active < this.o.concurrency && (!heavy || this.activeHeavy < this.heavyLimit);
  }

  private take(heavy: boolean): void {
    this.active++;
    if (heavy) this.activeHeavy++;
  }

  private wait(keys: readonly string[], heavy: boolean): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(this.o.timeoutMs / 1000));
    if (this.waitingCount >= this.o.total || keys.some((k) => (this.waitingPerKey.get(k) ?? 0) >= this.o.perKey)) {
      return Promise.reject(busy(retryAfter));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        keys,
        heavy,
        since: performance.now(),
        start: resolve,
        reject,
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

  /** Slots came free: hand each to the first waiter, in lane order, that may start; its lane goes to the back. */
  private next(): void {
    for (const [lane, queue] of this.lanes) {
      if (this.active >= this.o.concurrency) return;
      const waiter = queue[0]!;
      if (!this.canStart(waiter.heavy)) continue;
      queue.shift();
      this.lanes.delete(lane);
      if (queue.length > 0) this.lanes.set(lane, queue);
      this.count(waiter, -1);
      clearTimeout(waiter.timer);
      this.take(waiter.heavy);
      this.o.onWait?.((performance.now() - waiter.since) / 1000);
      waiter.start();
    }
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
