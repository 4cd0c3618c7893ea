import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { ActivityBucket, StatsSummary } from '../../core/stats/stats.types.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { envelope } from './presenter.js';
import { ErrorV1 } from './schemas.js';
import { StatsSummaryResponse, type StatsSummaryV1 } from './stats.schemas.js';

const bucket = (b: ActivityBucket) => ({
  sign_ups: b.signUps,
  sign_ins: b.signIns,
  failed_sign_ins: b.failedSignIns,
});

function summaryV1(s: StatsSummary): Static<typeof StatsSummaryV1> {
  return {
    generated_at: s.generatedAt,
    users: {
      total: s.users.total,
      by_status: s.users.byStatus,
      deleted: s.users.deleted,
      mfa: s.users.mfa,
      passkey: s.users.passkey,
    },
    active_users: { today: s.active.today, month: s.active.month, previous_month: s.active.previousMonth },
    daily: s.daily.map((b) => ({ day: b.start, ...bucket(b), active_users: b.activeUsers })),
    hourly: s.hourly.map((b) => ({ hour: b.start, ...bucket(b) })),
    locked_accounts: s.lockedAccounts,
    mail: { failing: s.mail.failing, gave_up: s.mail.gaveUp },
    ...(s.webhooks ? { webhooks: { failing: s.webhooks.failing, gave_up: s.webhooks.gaveUp } } : {}),
  };
}

/** The console dashboard's figures, for admins and moderators. */
export function statsRoutes(app: FastifyInstance, core: Core): void {
  app.get(
    '/stats/summary',
    {
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Dashboard figures (admins and moderators): users, activity per day and hour, adoption, failures',
        response: { 200: StatsSummaryResponse, ...errorResponses(ErrorV1, 401, 403, 429) },
      },
    },
    async (request) => envelope(summaryV1(await core.stats.summary(requirePrincipal(request)))),
  );
}
