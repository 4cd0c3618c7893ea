import { Type } from '@sinclair/typebox';
import { Timestamp } from '../shared/schemas.js';
import { Envelope } from './schemas.js';

/** The dashboard's summary on /api/v1. */

const Count = Type.Integer({ minimum: 0 });

const Bucket = {
  sign_ups: Count,
  sign_ins: Count,
  failed_sign_ins: Type.Integer({
    minimum: 0,
    description: 'Wrong passwords, codes, passkeys and second factors',
  }),
};

const Failing = Type.Object({
  failing: Type.Integer({ minimum: 0, description: 'Not delivered yet, at least one attempt failed' }),
  gave_up: Type.Integer({ minimum: 0, description: 'Of those, given up on (no more retries)' }),
});

export const StatsSummaryV1 = Type.Object(
  {
    generated_at: Timestamp,
    users: Type.Object({
      total: Type.Integer({ minimum: 0, description: 'Live (not deleted) users' }),
      by_status: Type.Object({ active: Count, inactive: Count, suspended: Count, pending: Count }),
      deleted: Count,
      mfa: Type.Integer({ minimum: 0, description: 'Live users with TOTP on' }),
      passkey: Type.Integer({ minimum: 0, description: 'Users with at least one passkey' }),
    }),
    active_users: Type.Object({
      today: Type.Integer({ minimum: 0, description: 'Users who signed in today (UTC)' }),
      month: Type.Integer({ minimum: 0, description: 'Users who signed in this calendar month (UTC)' }),
      previous_month: Count,
    }),
    daily: Type.Array(
      Type.Object({
        day: Type.String({ format: 'date' }),
        ...Bucket,
        active_users: Count,
      }),
      { description: '30 UTC days, oldest first, today last' },
    ),
    hourly: Type.Array(Type.Object({ hour: Timestamp, ...Bucket }), {
      description: '48 UTC hours, oldest first, this hour last',
    }),
    locked_accounts: Type.Integer({ minimum: 0, description: 'Accounts the lockout holds now' }),
    mail: Failing,
    webhooks: Type.Optional(Failing),
  },
  { title: 'ApiV1StatsSummary' },
);

export const StatsSummaryResponse = Envelope(StatsSummaryV1);
