import type { AuditEvent } from '../audit.js';
import type { AuthService } from '../auth/auth.service.js';
import type { Storage, Stores } from '../storage.js';
import { failureOf, methodOf } from './labels.js';
import type { Metrics } from './metrics.js';

/**
 * Sign-ins are counted from the audit trail, the one place every method (password, passkey, mailed code, upstream
 * provider, second factor) already records them: an event recorded in a transaction counts once it has committed, so
 * a rolled-back sign-in counts nothing.
 */
function count(metrics: Metrics, event: AuditEvent): void {
  const details = (event.details ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'user.login':
      metrics.login(methodOf(details.method), 'success');
      return;
    case 'user.login_failed':
      metrics.login(methodOf(details.method), failureOf(details.reason));
      return;
    case 'user.login_mfa_pending':
      metrics.login('password', 'mfa_pending');
      return;
    case 'user.mfa_failed':
      metrics.login('mfa', failureOf(details.reason));
      return;
    case 'session.refresh_reused':
      metrics.refresh('reused');
      return;
  }
}

const COUNTED = new Set<string>([
  'user.login',
  'user.login_failed',
  'user.login_mfa_pending',
  'user.mfa_failed',
  'session.refresh_reused',
]);

/** The storage the core uses, counting the sign-in events it records (after their transaction commits). */
export function countingSignIns(storage: Storage, metrics: Metrics): Storage {
  const record = storage.audit.record.bind(storage.audit);
  return {
    ...storage,
    audit: {
      ...storage.audit,
      async record(event) {
        await record(event);
        if (COUNTED.has(event.type)) count(metrics, event);
      },
    },
    async transaction(work) {
      const recorded: AuditEvent[] = [];
      const result = await storage.transaction((stores: Stores) => {
        const inner = stores.audit.record.bind(stores.audit);
        const audit = {
          ...stores.audit,
          async record(event: AuditEvent) {
            await inner(event);
            if (COUNTED.has(event.type)) recorded.push(event);
          },
        };
        return work({ ...stores, audit });
      });
      for (const event of recorded) count(metrics, event);
      return result;
    },
  };
}

/** The auth service, counting refreshes by outcome (a reuse is counted from its audit event as well). */
export function countingRefreshes(auth: AuthService, metrics: Metrics): AuthService {
  return {
    ...auth,
    async refresh(token, client, organizationId) {
      try {
        const tokens = await auth.refresh(token, client, organizationId);
        metrics.refresh('success');
        return tokens;
      } catch (error) {
        metrics.refresh('refused');
        throw error;
      }
    },
  };
}
