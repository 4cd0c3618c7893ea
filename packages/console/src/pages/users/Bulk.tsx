import { useState } from 'preact/hooks';
import { USER_STATUSES, UsherApiError, client, describe, type User } from '../../api.js';
import { Alert, ConfirmDialog, Notice } from '../../components.js';
import { capitalise, sleep } from '../../format.js';

/** Runs `action` on each id in turn; a 429 waits for the window to pass and tries again. */
async function each(
  ids: string[],
  action: (id: string) => Promise<unknown>,
): Promise<{ done: number; failed: string[] }> {
  let done = 0;
  const failed: string[] = [];
  for (const id of ids) {
    for (let attempt = 0; ; attempt++) {
      try {
        await action(id);
        done++;
        break;
      } catch (error) {
        if (error instanceof UsherApiError && error.status === 429 && attempt < 3) {
          await sleep(Math.min(5, Number(error.details.retry_after) || 1) * 1000);
          continue;
        }
        failed.push(`${id}: ${describe(error)}`);
        break;
      }
    }
  }
  return { done, failed };
}

/**
 * What can be done to the selected users at once: a status, delete, or (in the deleted list) restore; then how it went,
 * user by user. `onDone` clears the selection and reads the page again.
 */
export function BulkActions(props: {
  selected: Set<string>;
  users: User[];
  deletedView: boolean;
  admin: boolean;
  onDone: () => void;
}) {
  const { selected, deletedView, admin } = props;
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [status, setStatus] = useState<User['status']>('active');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const nameOf = (id: string) => props.users.find((u) => u.id === id)?.username ?? id;
  const report = (verb: string, result: { done: number; failed: string[] }) => {
    setNotice(`${verb} ${result.done} ${result.done === 1 ? 'user' : 'users'}.`);
    setError(
      result.failed.length === 0
        ? ''
        : `${result.failed.length} failed: ${result.failed.map((f) => f.replace(/^[^:]+/, nameOf)).join(' ')}`,
    );
    props.onDone();
  };
  const applyStatus = async (event: Event) => {
    event.preventDefault();
    const ids = [...selected];
    setNotice(`Changing ${ids.length} users…`);
    setError('');
    report(`Set to ${status}:`, await each(ids, (id) => client.users.patch(id, { status })));
  };
  const restoreSelected = async () => {
    const ids = [...selected];
    setNotice(`Restoring ${ids.length} users…`);
    setError('');
    report('Restored', await each(ids, (id) => client.users.restore(id)));
  };

  return (
    <>
      {selected.size > 0 && (
        <form class="bulk" aria-label="Selected users" onSubmit={applyStatus}>
          <span class="bulk-count">{selected.size} selected</span>
          {!deletedView && (
            <>
              <div class="field inline">
                <label for="bulk-status">Set selected users to</label>
                <select
                  id="bulk-status"
                  value={status}
                  onChange={(e) => setStatus(e.currentTarget.value as User['status'])}
                >
                  {USER_STATUSES.map((s) => (
                    <option value={s}>{capitalise(s)}</option>
                  ))}
                </select>
              </div>
              <button type="submit">Apply</button>
              {admin && (
                <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
                  Delete selected
                </button>
              )}
            </>
          )}
          {deletedView && admin && (
            <button type="button" onClick={restoreSelected}>
              Restore selected
            </button>
          )}
        </form>
      )}
      <Notice>{notice}</Notice>
      <Alert>{error}</Alert>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${selected.size} ${selected.size === 1 ? 'user' : 'users'}?`}
        confirm="Delete"
        danger
        onClose={() => setConfirmDelete(false)}
        onConfirm={async () => {
          const ids = [...selected];
          setError('');
          report('Deleted', await each(ids, (id) => client.users.delete(id)));
        }}
      >
        <p>
          {[...selected].map(nameOf).join(', ')} will be deleted: they can no longer sign in, and their sessions end. An
          admin can restore them from Users, Status: Deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}
