import { useEffect, useState } from 'preact/hooks';
import type { AuditEventType } from 'user-management-api-client';
import { AUDIT_EVENT_TYPES, client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle, Pager, Time } from '../components.js';
import { shortId } from '../format.js';
import { useResource } from '../hooks.js';
import { pagedFrom, pagerActions } from '../paging.js';
import { Link, href, navigate, useLocation } from '../router.js';
import { useStore } from '../store.js';

const PAGE_SIZE = 25;

interface View {
  type: string;
  actor_id: string;
  target_id: string;
}

const viewFrom = (query: URLSearchParams): View => {
  const type = query.get('type') ?? '';
  return {
    type: (AUDIT_EVENT_TYPES as readonly string[]).includes(type) ? type : '',
    actor_id: (query.get('actor_id') ?? '').slice(0, 64),
    target_id: (query.get('target_id') ?? '').slice(0, 64),
  };
};
const filtersOf = (v: View) => ({
  type: v.type || undefined,
  actor_id: v.actor_id || undefined,
  target_id: v.target_id || undefined,
});

/** A user id as a link to the user's page (an actor may also be an API key, whose page says it is no user). */
function Who({ id, me }: { id: string | null; me: string }) {
  if (!id) return <span class="muted">—</span>;
  return (
    <Link to={href(`/users/${id}`)} title={id}>
      {id === me ? 'You' : shortId(id)}
    </Link>
  );
}

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** The audit trail, newest first, filtered by type, actor and target, paged by cursor; the URL keeps the view. */
export function AuditPage() {
  const me = useStore(auth);
  const location = useLocation();
  const view = viewFrom(location.query);
  const paged = pagedFrom(location.query);
  const key = location.query.toString();
  const read = useResource(async () => {
    const { type, ...who } = filtersOf(view);
    const page = await client.auditEvents.list({
      ...who,
      ...(type ? { type: type as AuditEventType } : {}),
      limit: PAGE_SIZE,
      ...(paged.cursor ? { cursor: paged.cursor } : {}),
    });
    return { data: page.data, next: page.pagination.next_cursor };
  }, [key]);
  const [form, setForm] = useState(view);
  useEffect(() => setForm(view), [key]); // eslint-disable-line react-hooks/exhaustive-deps

  if (me.state !== 'signed-in') return null;
  const busy = read.loading;
  // A failed read shows no events: the ones before were of another view.
  const events = read.error ? undefined : read.data;
  const pager = pagerActions('/audit', filtersOf(view), paged, location.state, events?.next);
  const apply = (next: View) =>
    navigate(
      href('/audit', filtersOf({ type: next.type, actor_id: next.actor_id.trim(), target_id: next.target_id.trim() })),
      { state: { cursors: [] } },
    );
  const filtered = view.type || view.actor_id || view.target_id;

  return (
    <div class="page">
      <PageTitle title="Audit log">Audit log</PageTitle>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the console supports; a form with role=search is the same landmark */}
      <form
        class="filters"
        role="search"
        aria-label="Audit events"
        onSubmit={(event) => {
          event.preventDefault();
          apply(form);
        }}
      >
        <div class="field">
          <label for="audit-type">Event type</label>
          <select id="audit-type" value={form.type} onChange={(e) => apply({ ...form, type: e.currentTarget.value })}>
            <option value="">All</option>
            {AUDIT_EVENT_TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for="audit-actor">Actor id</label>
          <input
            id="audit-actor"
            value={form.actor_id}
            maxLength={64}
            autoComplete="off"
            onInput={(e) => setForm({ ...form, actor_id: e.currentTarget.value })}
          />
        </div>
        <div class="field grow">
          <label for="audit-target">Target id</label>
          <input
            id="audit-target"
            value={form.target_id}
            maxLength={64}
            autoComplete="off"
            onInput={(e) => setForm({ ...form, target_id: e.currentTarget.value })}
          />
        </div>
        <button type="submit" class="primary">
          Filter
        </button>
        {filtered && (
          <button type="button" onClick={() => apply({ type: '', actor_id: '', target_id: '' })}>
            Show all events
          </button>
        )}
      </form>

      <Alert>{read.error}</Alert>
      <Notice>
        {busy
          ? 'Loading events…'
          : events
            ? `${events.data.length === 0 ? 'No' : events.data.length}${events.next ? '+' : ''} ${events.data.length === 1 ? 'event' : 'events'} on this page, newest first.`
            : ''}
      </Notice>

      <div class="table-wrap">
        <table aria-busy={busy} class={busy ? 'loading' : ''}>
          <caption class="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">Address</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {(events?.data ?? []).map((e) => (
              <tr key={e.id}>
                <td>
                  <Time value={e.created_at} />
                </td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>
                  <Who id={e.actor_id} me={me.user.id} />
                </td>
                <td>
                  <Who id={e.target_id} me={me.user.id} />
                </td>
                <td>{e.ip ?? '—'}</td>
                <td class="details">{detailsText(e.details)}</td>
              </tr>
            ))}
            {!busy && events && events.data.length === 0 && (
              <tr>
                <td colSpan={6} class="empty-row">
                  No events match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        label="Audit log pages"
        page={paged.page}
        hasNext={!!events?.next}
        canPrevious={pager.canPrevious}
        onPrevious={pager.previous}
        onNext={pager.next}
        onFirst={pager.first}
        busy={busy}
      />
    </div>
  );
}
