import type { ComponentChildren, JSX } from 'preact';
import { createStore, useStore } from './store.js';

/**
 * The console's router: real paths under /console (the server answers the
 * page for every one of them), history.pushState to move, popstate for back
 * and forward. A view's state (search, filters, sort, page) lives in the
 * query string, so a reload, "back" or a shared link shows the same view;
 * what cannot be written in a link (the cursors of earlier pages, a deleted
 * user's row) rides along in history.state, which survives reloads too.
 */

export const BASE = '/console';

export interface Location {
  /** The path below /console, starting with '/': '/users', '/users/{id}'. */
  path: string;
  query: URLSearchParams;
  /** history.state of this entry. */
  state: unknown;
}

const read = (): Location => {
  const { pathname, search } = window.location;
  let path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path === '') path = '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(search), state: window.history.state };
};

export const location = createStore<Location>(read());
window.addEventListener('popstate', () => location.set(read()));

export const useLocation = (): Location => useStore(location);

/** A console URL: the path below /console and its query (empty values left out). */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return `${BASE}${path}${text === '' ? '' : `?${text}`}`;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

/** Moves to a console URL (as made by `href`): a new history entry, or a replaced one. */
export function navigate(to: string, options: NavigateOptions = {}): void {
  const state = options.state ?? null;
  if (options.replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  location.set(read());
}

/** Replaces the current entry's state, keeping its URL (and not re-rendering: the caller already shows it). */
export function rememberState(state: unknown): void {
  window.history.replaceState(state, '', window.location.href);
}

type AnchorProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  to: string;
  state?: unknown;
  children: ComponentChildren;
};

/** An <a> that moves inside the page; a modified click (new tab, new window) is left to the browser. */
export function Link({ to, state, children, ...rest }: AnchorProps) {
  const onClick = (event: MouseEvent) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to, { state });
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
