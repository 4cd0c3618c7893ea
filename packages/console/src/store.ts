import { useLayoutEffect, useReducer } from 'preact/hooks';

/** A value that components can watch: the whole state library of the console. */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** The store's current value; the component renders again whenever it changes. */
export function useStore<T>(store: Store<T>): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const value = store.get();
  useLayoutEffect(() => {
    const unsubscribe = store.subscribe(() => rerender(0));
    // A change between this render and the subscription.
    if (!Object.is(store.get(), value)) rerender(0);
    return unsubscribe;
  }, [store]);
  return value;
}
