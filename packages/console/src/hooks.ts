import { useEffect, useState } from 'preact/hooks';
import { describe } from './api.js';

/** What a component shows of a read: the value, the failure, and whether the read for the current inputs is done. */
export interface Resource<T> {
  /**
   * The last value read, undefined before the first: kept while the next read is under way (the page dims it) and
   * after a failed one.
   */
  data: T | undefined;
  /** Why the read for the current inputs failed, as a sentence; '' while it runs or after it succeeded. */
  error: string;
  /** True from the render whose inputs changed (or that `reload` asked for) until that read ends. */
  loading: boolean;
  /** Reads again with the same inputs (after a change made elsewhere). */
  reload: () => void;
  /** Shows another value without reading (the answer of a write). */
  set: (data: T) => void;
}

const same = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/**
 * Reads `load()` whenever `inputs` change; an answer that comes after the inputs changed again is dropped, so the
 * screen never shows a view the URL no longer names.
 */
export function useResource<T>(load: () => Promise<T>, inputs: readonly unknown[]): Resource<T> {
  const [reloads, setReloads] = useState(0);
  const [state, setState] = useState<{ data: T | undefined; error: string; readFor: readonly unknown[] | null }>({
    data: undefined,
    error: '',
    readFor: null,
  });
  const key = [...inputs, reloads];
  // Keyed by the inputs (and reloads) that `load` reads.
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: '', readFor: key }),
      (e: unknown) => live && setState((s) => ({ data: s.data, error: describe(e), readFor: key })),
    );
    return () => {
      live = false;
    };
  }, key);
  const done = state.readFor !== null && same(state.readFor, key);
  return {
    data: state.data,
    error: done ? state.error : '',
    loading: !done,
    reload: () => setReloads((n) => n + 1),
    set: (data) => setState((s) => ({ ...s, data })),
  };
}

/** A button's work: busy while it runs (the page disables the button), and why it failed as a sentence. */
export interface Action {
  busy: boolean;
  error: string;
  /** Runs `work`, clearing the previous failure first. */
  run: (work: () => Promise<void>) => Promise<void>;
  clear: () => void;
}

/** `explain` turns a failure into the sentence shown (the server's message by default). */
export function useAction(explain: (error: unknown) => string = describe): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError('') };
}
