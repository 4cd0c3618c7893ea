import { useEffect, useState } from 'preact/hooks';
import type { PatchUserInput } from 'user-management-api-client';
import { USER_ROLES, USER_STATUSES, client, isStatus, type User } from '../../api.js';
import { Alert, Notice } from '../../components.js';
import { capitalise, fullName } from '../../format.js';
import { useAction } from '../../hooks.js';

/** The user on the page, as last read or written. */
export interface Loaded {
  user: User;
  /** The ETag of the last read or write: sent back as If-Match so a save never overwrites someone else's change. */
  etag: string | null;
  deleted: boolean;
}

type Saved = (user: User, etag: string | null) => void;

interface ProfileProps {
  loaded: Loaded;
  onSaved: Saved;
  /** Reads the user again, after a save refused because someone else changed it. */
  onStale: () => void;
}

/** Saves changes over the version on screen; someone else's change since is reported (stale), never overwritten. */
function useSave(loaded: Loaded, onSaved: Saved) {
  const action = useAction();
  const [stale, setStale] = useState(false);
  const [notice, setNotice] = useState('');
  const save = (changes: PatchUserInput) => {
    setNotice('');
    setStale(false);
    if (Object.keys(changes).length === 0) {
      action.clear();
      setNotice('Nothing to save: no field changed.');
      return;
    }
    void action.run(async () => {
      try {
        const { user, etag } = await client.users.patchWithETag(loaded.user.id, changes, { ifMatch: loaded.etag });
        onSaved(user, etag);
        setNotice('Saved.');
      } catch (e) {
        if (!isStatus(e, 412)) throw e;
        setStale(true);
      }
    });
  };
  return { busy: action.busy, error: action.error, stale, notice, save };
}

/** How the last save went: its failure, a refusal over someone else's change (with a reload), or its result. */
function Outcome(props: { error: string; stale: boolean; notice: string; onStale: () => void }) {
  const { error, stale, notice, onStale } = props;
  return (
    <>
      <Alert>{error}</Alert>
      {stale && (
        <div class="alert" role="alert">
          Someone else changed this user after you opened the page, so nothing was saved.{' '}
          <button type="button" onClick={onStale}>
            Reload user
          </button>
        </div>
      )}
      <Notice>{notice}</Notice>
    </>
  );
}

const PROFILE = [
  ['first_name', 'First name', 'text', 'given-name'],
  ['last_name', 'Last name', 'text', 'family-name'],
  ['email', 'Email', 'email', 'off'],
  ['phone_number', 'Phone number', 'tel', 'off'],
  ['date_of_birth', 'Date of birth', 'date', 'off'],
] as const;
type ProfileKey = (typeof PROFILE)[number][0] | 'bio' | 'role' | 'status';

const formOf = (u: User): Record<ProfileKey, string> => ({
  first_name: u.first_name ?? '',
  last_name: u.last_name ?? '',
  email: u.email,
  phone_number: u.phone_number ?? '',
  date_of_birth: u.date_of_birth ?? '',
  bio: u.bio ?? '',
  role: u.role,
  status: u.status,
});

export function AdminProfile({ loaded, onSaved, onStale }: ProfileProps) {
  const { user } = loaded;
  const [form, setForm] = useState(formOf(user));
  useEffect(() => setForm(formOf(user)), [user]);
  const { busy, save, ...outcome } = useSave(loaded, onSaved);
  const set = (name: ProfileKey) => (event: Event) =>
    setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  const submit = (event: Event) => {
    event.preventDefault();
    const before = formOf(user);
    const changes: Record<string, unknown> = {};
    for (const name of Object.keys(form) as ProfileKey[]) {
      const value = name === 'bio' ? form[name] : form[name].trim();
      if (value === before[name]) continue;
      // An emptied optional field is cleared; email is required.
      changes[name] = value === '' && name !== 'email' ? null : value;
    }
    save(changes as PatchUserInput);
  };
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={submit} class="grid-form">
        {PROFILE.map(([name, label, type, autocomplete]) => (
          <div class="field" key={name}>
            <label for={`user-${name}`}>{label}</label>
            <input
              id={`user-${name}`}
              type={type}
              value={form[name]}
              onInput={set(name)}
              autoComplete={autocomplete}
              required={name === 'email'}
            />
          </div>
        ))}
        <div class="field wide">
          <label for="user-bio">Bio</label>
          <textarea id="user-bio" rows={3} maxLength={500} value={form.bio} onInput={set('bio')} />
        </div>
        <div class="field">
          <label for="user-role">Role</label>
          <select id="user-role" value={form.role} onChange={set('role')}>
            {USER_ROLES.map((r) => (
              <option value={r}>{capitalise(r)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="user-status">Status</label>
          <select id="user-status" value={form.status} onChange={set('status')}>
            {USER_STATUSES.map((s) => (
              <option value={s}>{capitalise(s)}</option>
            ))}
          </select>
        </div>
        <div class="actions wide">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
      <Outcome {...outcome} onStale={onStale} />
    </section>
  );
}

/** A moderator reads the profile and changes only the status, and not an admin's. */
export function ModeratorProfile({ loaded, onSaved, onStale }: ProfileProps) {
  const { user } = loaded;
  const [status, setStatus] = useState<User['status']>(user.status);
  useEffect(() => setStatus(user.status), [user]);
  const { busy, save, ...outcome } = useSave(loaded, onSaved);
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{fullName(user) || <span class="muted">—</span>}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Phone number</dt>
        <dd>{user.phone_number ?? <span class="muted">—</span>}</dd>
        <dt>Date of birth</dt>
        <dd>{user.date_of_birth ?? <span class="muted">—</span>}</dd>
        <dt>Bio</dt>
        <dd>{user.bio ?? <span class="muted">—</span>}</dd>
        <dt>Role</dt>
        <dd>{capitalise(user.role)}</dd>
      </dl>
      {user.role === 'admin' ? (
        <p class="muted">Only admins change an admin's status.</p>
      ) : (
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            save(status === user.status ? {} : { status });
          }}
        >
          <div class="field">
            <label for="user-status">Status</label>
            <select
              id="user-status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as User['status'])}
            >
              {USER_STATUSES.map((s) => (
                <option value={s}>{capitalise(s)}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </form>
      )}
      <Outcome {...outcome} onStale={onStale} />
    </section>
  );
}
