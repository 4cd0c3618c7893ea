import type { ComponentChildren, JSX } from 'preact';
import { ConfirmDialog } from './components.js';

/**
 * A list's table: its visually hidden caption, a header of the named columns (and, with `actions`, one more whose
 * name only screen readers hear), the rows, and a full-width row saying so when `empty` is given.
 */
export function ListTable(props: {
  caption: string;
  columns: string[];
  actions?: boolean;
  busy?: boolean;
  empty?: ComponentChildren;
  children: ComponentChildren;
}) {
  const width = props.columns.length + (props.actions ? 1 : 0);
  return (
    <div class="table-wrap">
      <table aria-busy={props.busy === undefined ? undefined : props.busy ? 'true' : 'false'}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
            {props.actions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.children}
          {props.empty && (
            <tr>
              <td colSpan={width} class="empty-row">
                {props.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A dangerous action on one item, confirmed first: open while `item` is set; `onConfirm` gets the item (never
 * null), and the dialog closes by `onClose` after it succeeds.
 */
export function ConfirmOn<T>(props: {
  item: T | null;
  title: (item: T) => string;
  confirm: string;
  onConfirm: (item: T) => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const { item } = props;
  return (
    <ConfirmDialog
      open={item !== null}
      title={item === null ? '' : props.title(item)}
      confirm={props.confirm}
      danger
      onClose={props.onClose}
      onConfirm={async () => {
        if (item !== null) await props.onConfirm(item);
      }}
    >
      {props.children}
    </ConfirmDialog>
  );
}

/** A form's footer: its submit button (disabled while `busy`) and Cancel. */
export function FormActions({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  return (
    <div class="actions wide">
      <button type="submit" class="primary" disabled={busy}>
        {submit}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput'>;

/** A labelled text input whose value lives in the caller's state (`onValue` hears each change). */
export function Field({
  id,
  label,
  value,
  onValue,
  children,
  ...input
}: InputProps & { id: string; label: string; value: string; onValue: (value: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input {...input} id={id} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      {children}
    </div>
  );
}
