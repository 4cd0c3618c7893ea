import { useEffect, useState } from 'preact/hooks';
import { UsherApiError, client } from '../api.js';
import { Alert, Notice, PageTitle, Time } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { Link, href } from '../router.js';

/**
 * The user schema (admins): the JSON Schema (draft 2020-12) every user's custom_data must match, edited as text.
 * A schema existing users break is refused with those users listed (links to them), and can then be saved anyway.
 */

interface Offender {
  id: string;
  field: string;
  message: string;
}

const offendersOf = (e: unknown): Offender[] =>
  e instanceof UsherApiError && e.status === 422 && Array.isArray(e.details.users)
    ? (e.details.users as Offender[])
    : [];

export function UserSchemaPage() {
  const current = useResource(() => client.userSchema.get(), []);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState('');
  const [notice, setNotice] = useState('');
  const [offenders, setOffenders] = useState<Offender[]>([]);
  const action = useAction();
  const stored = current.data ? JSON.stringify(current.data.schema ?? { type: 'object', properties: {} }, null, 2) : '';
  useEffect(() => setText(stored), [stored]);

  const save = (force: boolean) => {
    setInvalid('');
    setNotice('');
    setOffenders([]);
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      setInvalid('This is not valid JSON.');
      return;
    }
    void action.run(async () => {
      try {
        current.set(await client.userSchema.put(schema as Record<string, unknown>, { force }));
        setNotice(force ? 'Saved, although some users do not match it.' : 'Saved.');
      } catch (e) {
        setOffenders(offendersOf(e));
        throw e;
      }
    });
  };

  return (
    <div class="page">
      <PageTitle title="User schema">User schema</PageTitle>
      <p class="muted">
        A JSON Schema (draft 2020-12) for every user's custom data: <code>"type": "object"</code> at the top, at most 64
        KiB. A top-level property with <code>"x-user-editable": true</code> may be changed by the user themselves.
      </p>
      <Alert>{current.error}</Alert>
      {current.data && (
        <section class="card" aria-labelledby="schema-title">
          <h2 id="schema-title">Schema</h2>
          <p class="muted">
            {current.data.updated_at ? (
              <>
                Last changed <Time value={current.data.updated_at} />.
              </>
            ) : (
              'No schema is set: custom data is any JSON object, and users edit none of it.'
            )}
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save(false);
            }}
          >
            <div class="field">
              <label for="user-schema">JSON Schema</label>
              <textarea
                id="user-schema"
                rows={18}
                spellcheck={false}
                value={text}
                aria-invalid={invalid !== '' || action.error !== ''}
                onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
              />
            </div>
            <Alert>{invalid || action.error}</Alert>
            {offenders.length > 0 && (
              <div class="alert" role="alert">
                <p>These users' custom data does not match the new schema:</p>
                <ul>
                  {offenders.map((o) => (
                    <li key={o.id}>
                      <Link to={href(`/users/${o.id}`)}>{o.id}</Link>: {o.field} {o.message}
                    </li>
                  ))}
                </ul>
                <button type="button" onClick={() => save(true)} disabled={action.busy}>
                  Save anyway
                </button>
              </div>
            )}
            <Notice>{notice}</Notice>
            <button type="submit" disabled={action.busy}>
              {action.busy ? 'Saving…' : 'Save schema'}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}
