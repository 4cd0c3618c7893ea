import type { Status } from '../types.js';

/** Sign-ups, sign-ins and failed sign-ins (wrong passwords, codes, passkeys and second factors) in one bucket. */
export interface ActivityBucket {
  /** The bucket's start: a UTC day (YYYY-MM-DD) or hour (an ISO 8601 instant). */
  start: string;
  signUps: number;
  signIns: number;
  failedSignIns: number;
}

/** The dashboard's figures, all read from counters (never a scan of users or audit events). */
export interface StatsSummary {
  generatedAt: string;
  users: {
    /** Live (not deleted) users. */
    total: number;
    byStatus: Record<Status, number>;
    deleted: number;
    /** Live users with TOTP on. */
    mfa: number;
    /** Users with at least one passkey. */
    passkey: number;
  };
  active: {
    /** Users who signed in today (UTC). */
    today: number;
    /** Users who signed in this calendar month (UTC), and the last one. */
    month: number;
    previousMonth: number;
  };
  /** Per UTC day, 30 days, oldest first (today last): with the day's active users. */
  daily: Array<ActivityBucket & { activeUsers: number }>;
  /** Per UTC hour, 48 hours, oldest first (this hour last). */
  hourly: ActivityBucket[];
  /** Known accounts locked by the lockout now. */
  lockedAccounts: number;
  mail: { failing: number; gaveUp: number };
  /**
   * Webhook deliveries failing: filled when the webhooks part (issue 27 part 1) wires `webhookFigures` into
   * createStatsService; absent until then.
   */
  webhooks?: { failing: number; gaveUp: number };
}
