import { accountKey } from '../security/lockout.js';
import type { LockWatcher } from '../security/lockout.js';
import { assertCanReadStats } from '../policy.js';
import type { Storage } from '../storage.js';
import { type Principal, STATUSES } from '../types.js';
import type { ActivityBucket, StatsSummary } from './stats.types.js';

export interface StatsService {
  /** The dashboard's figures, for admins and moderators. */
  summary(actor: Principal): Promise<StatsSummary>;
  /** Deletes hourly and daily counters older than a year. */
  sweep(): Promise<void>;
}

export interface StatsDeps {
  storage: Storage;
  now: () => number;
  /** WEBHOOKS SLOT (issue 27 part 1): the webhook deliveries failing; the summary leaves `webhooks` out without it. */
  webhookFigures?: () => Promise<{ failing: number; gaveUp: number }>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KEEP_DAYS = 366;
const SIGN_UPS = 'user.created';
const SIGN_INS = 'user.login';
const FAILED = new Set(['user.login_failed', 'user.mfa_failed']);

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/** Adds counter `h:<hour>:<type>` into a bucket. */
function add(bucket: ActivityBucket, type: string, n: number): void {
  if (type === SIGN_UPS) bucket.signUps += n;
  else if (type === SIGN_INS) bucket.signIns += n;
  else if (FAILED.has(type)) bucket.failedSignIns += n;
}

const empty = (start: string): ActivityBucket => ({ start, signUps: 0, signIns: 0, failedSignIns: 0 });

/**
 * The dashboard's summary: a handful of small reads (the counters of migration 0015, kept by triggers in the
 * transactions that move them; failing mails; live locks), bucketed here by UTC hour and day with the core's clock.
 */
export function createStatsService(deps: StatsDeps): StatsService {
  const { storage, now } = deps;
  return {
    async summary(actor) {
      assertCanReadStats(actor);
      const at = now();
      const hourStart = Math.floor(at / HOUR) * HOUR;
      const firstDay = dayOf(at - 29 * DAY);
      const month = new Date(at).toISOString().slice(0, 7);
      const d = new Date(at);
      const previousMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      const [counters, mail, locked, webhooks] = await Promise.all([
        storage.stats.counters([
          ['users:', 'users;'],
          [`h:${firstDay}`, 'h;'],
          [`dau:${firstDay}`, 'dau;'],
          [`mau:${previousMonth}`, 'mau;'],
        ]),
        storage.stats.mailFailing(),
        storage.stats.lockedAccounts(new Date(at).toISOString()),
        deps.webhookFigures?.(),
      ]);
      const get = (name: string) => Math.max(0, counters.get(name) ?? 0);
      const daily = Array.from({ length: 30 }, (_, i) => {
        const day = dayOf(at - (29 - i) * DAY);
        return { ...empty(day), activeUsers: get(`dau:${day}`) };
      });
      const hourly = Array.from({ length: 48 }, (_, i) => empty(new Date(hourStart - (47 - i) * HOUR).toISOString()));
      const days = new Map(daily.map((b) => [b.start, b]));
      const hours = new Map(hourly.map((b) => [b.start.slice(0, 13), b]));
      for (const [name, n] of counters) {
        if (!name.startsWith('h:')) continue;
        const hour = name.slice(2, 15);
        const type = name.slice(16);
        const day = days.get(hour.slice(0, 10));
        if (day) add(day, type, n);
        const bucket = hours.get(hour);
        if (bucket) add(bucket, type, n);
      }
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, get(`users:${s}`)])) as Record<
        (typeof STATUSES)[number],
        number
      >;
      return {
        generatedAt: new Date(at).toISOString(),
        users: {
          total: STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
          byStatus,
          deleted: get('users:deleted'),
          mfa: get('users:mfa'),
          passkey: get('users:passkey'),
        },
        active: {
          today: get(`dau:${dayOf(at)}`),
          month: get(`mau:${month}`),
          previousMonth: get(`mau:${previousMonth}`),
        },
        daily,
        hourly,
        lockedAccounts: locked,
        mail,
        ...(webhooks ? { webhooks } : {}),
      };
    },
    async sweep() {
      const before = now() - KEEP_DAYS * DAY;
      await storage.stats.sweep(hourOf(before), dayOf(before));
    },
  };
}

/** The lockout's watcher: known accounts' locks kept in the database, so every instance counts the same. */
export function lockWatcher(storage: Storage): LockWatcher {
  const prefix = accountKey('');
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    async locked(account, untilMs, at) {
      if (account.startsWith(prefix)) await storage.stats.noteLock(account.slice(prefix.length), iso(untilMs), iso(at));
    },
    async lifted(account) {
      if (account.startsWith(prefix)) await storage.stats.noteLock(account.slice(prefix.length), iso(0), iso(0));
    },
  };
}
