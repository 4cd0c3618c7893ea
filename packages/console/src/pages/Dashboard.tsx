import type { StatsSummary } from 'user-management-api-client';
import { client } from '../api.js';
import { Alert, PageTitle, Time } from '../components.js';
import { useResource } from '../hooks.js';
import { href, Link } from '../router.js';
import { LineChart } from './dashboard/chart.js';

const number = new Intl.NumberFormat();
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const hourLabel = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((100 * part) / whole)}%`);

function Figure({ label, value, note }: { label: string; value: number | string; note?: string }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>
        <span class="figure-value">{typeof value === 'number' ? number.format(value) : value}</span>
        {note && <span class="muted figure-note">{note}</span>}
      </dd>
    </div>
  );
}

function Figures({ s }: { s: StatsSummary }) {
  const u = s.users;
  return (
    <dl class="figures">
      <Figure label="Users" value={u.total} note={`${number.format(u.deleted)} deleted`} />
      <Figure label="Active today" value={s.active_users.today} note="signed in, UTC day" />
      <Figure
        label="Active this month"
        value={s.active_users.month}
        note={`${number.format(s.active_users.previous_month)} last month`}
      />
      <Figure label="Two-step (TOTP)" value={percent(u.mfa, u.total)} note={`${number.format(u.mfa)} users`} />
      <Figure label="Passkeys" value={percent(u.passkey, u.total)} note={`${number.format(u.passkey)} users`} />
      <Figure label="Locked now" value={s.locked_accounts} note="by failed sign-ins" />
      <Figure
        label="Mail failing"
        value={s.mail.failing}
        note={s.mail.gave_up > 0 ? `${number.format(s.mail.gave_up)} given up` : 'retrying'}
      />
      {s.webhooks && (
        <Figure
          label="Webhooks failing"
          value={s.webhooks.failing}
          note={s.webhooks.gave_up > 0 ? `${number.format(s.webhooks.gave_up)} given up` : 'retrying'}
        />
      )}
    </dl>
  );
}

function ByStatus({ s }: { s: StatsSummary }) {
  const rows = Object.entries(s.users.by_status) as Array<[string, number]>;
  return (
    <section class="card" aria-labelledby="by-status">
      <h2 id="by-status">Users by status</h2>
      <ul class="status-bars">
        {rows.map(([status, n]) => (
          <li>
            <Link to={href('/users', { status })}>{status}</Link>
            <span class="bar" aria-hidden="true">
              <span class={`bar-fill badge-${status}`} style={{ width: percent(n, s.users.total) }} />
            </span>
            <span>
              {number.format(n)} <span class="muted">({percent(n, s.users.total)})</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The landing page of admins and moderators: figures and charts from one summary, read from counters. */
export function DashboardPage() {
  const read = useResource(() => client.stats.summary(), []);
  const s = read.data;
  return (
    <div class="page">
      <PageTitle title="Dashboard">Dashboard</PageTitle>
      {read.error && <Alert>{read.error}</Alert>}
      {!s && !read.error && <p role="status">Loading the figures…</p>}
      {s && (
        <>
          <p class="muted">
            As of <Time value={s.generated_at} />; days and hours in UTC.{' '}
            <button type="button" onClick={read.reload}>
              Refresh
            </button>
          </p>
          <Figures s={s} />
          <section class="card" aria-label="Sign-ins per day">
            <LineChart
              id="daily"
              title="Sign-ins, failures and sign-ups per day, last 30 days"
              bucket="Day"
              labels={s.daily.map((d) => dayLabel.format(new Date(d.day)))}
              series={[
                { name: 'Sign-ins', values: s.daily.map((d) => d.sign_ins), style: 1 },
                { name: 'Failed sign-ins', values: s.daily.map((d) => d.failed_sign_ins), style: 2 },
                { name: 'Sign-ups', values: s.daily.map((d) => d.sign_ups), style: 3 },
              ]}
            />
          </section>
          <section class="card" aria-label="Sign-ins per hour">
            <LineChart
              id="hourly"
              title="Sign-ins, failures and sign-ups per hour, last 48 hours"
              bucket="Hour"
              labels={s.hourly.map((h) => hourLabel.format(new Date(h.hour)))}
              series={[
                { name: 'Sign-ins', values: s.hourly.map((h) => h.sign_ins), style: 1 },
                { name: 'Failed sign-ins', values: s.hourly.map((h) => h.failed_sign_ins), style: 2 },
                { name: 'Sign-ups', values: s.hourly.map((h) => h.sign_ups), style: 3 },
              ]}
            />
          </section>
          <section class="card" aria-label="Active users per day">
            <LineChart
              id="active"
              title="Active users per day, last 30 days"
              bucket="Day"
              labels={s.daily.map((d) => dayLabel.format(new Date(d.day)))}
              series={[{ name: 'Active users', values: s.daily.map((d) => d.active_users), style: 1 }]}
            />
          </section>
          <ByStatus s={s} />
        </>
      )}
    </div>
  );
}
