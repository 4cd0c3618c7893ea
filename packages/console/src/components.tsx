import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { capitalise, day, when } from './format.js';
import { useAction } from './hooks.js';

/** An error, announced at once (role=alert); nothing when there is none. */
export function Alert({ children }: { children?: ComponentChildren }) {
  if (children === undefined || children === null || children === '' || children === false) return null;
  return (
    <div class="alert" role="alert">
      {children}
    </div>
  );
}

/** A result or progress message, announced politely. Always in the page, so screen readers hear each change. */
export function Notice({ children }: { children?: ComponentChildren }) {
  return (
    <div class={children ? 'notice' : 'notice empty'} role="status">
      {children}
    </div>
  );
}

export function Time({ value, dateOnly = false }: { value: string | null | undefined; dateOnly?: boolean }) {
  if (!value) return <span class="muted">—</span>;
  return (
    <time dateTime={value} title={value}>
      {dateOnly ? day(value) : when(value)}
    </time>
  );
}

export function Badge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

export const StatusBadge = ({ status, deleted = false }: { status: string; deleted?: boolean }) =>
  deleted ? <Badge kind="deleted">Deleted</Badge> : <Badge kind={status}>{capitalise(status)}</Badge>;

/**
 * A modal dialog on the native <dialog> element (showModal: focus moves in
 * and stays in, Escape closes, the page behind is inert, focus returns
 * after). `open` drives it; `onClose` hears Escape and the buttons.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => closeRef.current();
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={titleId} class="dialog">
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/**
 * "Are you sure?": the question, the action's button (named `confirm`) and
 * Cancel. The action runs while the dialog stays open; a failure shows in it
 * (as `describe` words it).
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirm: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const action = useAction();
  useEffect(() => {
    if (props.open) action.clear();
  }, [props.open]);
  const run = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.onConfirm();
      props.onClose();
    });
  };
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form method="dialog" onSubmit={run}>
        <div class="dialog-body">{props.children}</div>
        <Alert>{action.error}</Alert>
        <div class="actions">
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={action.busy}>
            {props.confirm}
          </button>
          {/* Focus starts on Cancel: Enter on a freshly opened dialog never deletes anything. */}
          {/* biome-ignore lint/a11y/noAutofocus: the dialog's safe default, announced with it (see above) */}
          <button type="button" onClick={props.onClose} disabled={action.busy} autoFocus>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A page's <h1>: sets the document title and takes the focus after a move inside the console. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Usher console`;
  }, [title]);
  useEffect(() => {
    if (moved) ref.current?.focus({ preventScroll: false });
    moved = false;
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

let moved = false;
/** The next PageTitle to mount takes the focus (set by the app when the path changes). */
export const focusNextTitle = (): void => {
  moved = true;
};

/**
 * Paging by cursor: Previous, Next, and First from page 3 on. A click while a page loads is ignored (the buttons keep
 * the focus).
 */
export function Pager(props: {
  page: number;
  pages?: number | undefined;
  hasNext: boolean;
  canPrevious: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onFirst: () => void;
  label: string;
  busy: boolean;
}) {
  return (
    <nav class="pager" aria-label={props.label}>
      {props.page > 2 && (
        <button type="button" onClick={() => props.busy || props.onFirst()}>
          First page
        </button>
      )}
      <button type="button" onClick={() => props.busy || props.onPrevious()} disabled={!props.canPrevious}>
        Previous page
      </button>
      <span class="page-of">
        Page {props.page}
        {props.pages !== undefined && props.pages > 0 ? ` of ${props.pages}` : ''}
      </span>
      <button type="button" onClick={() => props.busy || props.onNext()} disabled={!props.hasNext}>
        Next page
      </button>
    </nav>
  );
}
