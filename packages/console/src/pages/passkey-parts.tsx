import type { ComponentChildren } from 'preact';
import type { Passkey } from '../api.js';
import { Time } from '../components.js';
import { ConfirmOn, ListTable } from '../lists.js';

/**
 * A table of passkeys (on My account and on a user's page): the name, the `kind` column, when each was added and
 * last used, and an actions column; `row` gives the name's cell, the kind and the actions of each.
 */
export function PasskeyTable(props: {
  caption: string;
  kind: string;
  rows: Passkey[];
  row: (passkey: Passkey) => { name: ComponentChildren; kind: string; actions: ComponentChildren };
}) {
  return (
    <ListTable caption={props.caption} columns={['Name', props.kind, 'Added', 'Last used']} actions>
      {props.rows.map((p) => {
        const cells = props.row(p);
        return (
          <tr key={p.id}>
            <td>{cells.name}</td>
            <td>{cells.kind}</td>
            <td>
              <Time value={p.created_at} />
            </td>
            <td>{p.last_used_at ? <Time value={p.last_used_at} /> : 'Never'}</td>
            {cells.actions}
          </tr>
        );
      })}
    </ListTable>
  );
}

/** "Remove this passkey?": `remove` takes it away; `who` is whoever will no longer sign in with it. */
export function RemovePasskey(props: {
  passkey: Passkey | null;
  who: string;
  remove: (passkey: Passkey) => Promise<void>;
  onClose: () => void;
}) {
  return (
    <ConfirmOn
      item={props.passkey}
      title={() => 'Remove this passkey?'}
      confirm="Remove passkey"
      onClose={props.onClose}
      onConfirm={props.remove}
    >
      <p>
        {props.who} will no longer be able to sign in with <strong>{props.passkey?.name}</strong>.
      </p>
    </ConfirmOn>
  );
}
