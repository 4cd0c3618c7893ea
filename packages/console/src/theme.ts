/**
 * The signed-in user's `preferences.theme` on <html data-theme>: 'light' or
 * 'dark' as chosen, and for 'system' (or anything else, or nobody signed in)
 * whatever the operating system prefers, followed live. The CSS keys its
 * colour variables off data-theme.
 */
const dark = window.matchMedia('(prefers-color-scheme: dark)');
let preference = 'system';

function paint(): void {
  const root = document.documentElement;
  const resolved = preference === 'light' || preference === 'dark' ? preference : dark.matches ? 'dark' : 'light';
  root.dataset.theme = resolved;
  root.dataset.themePreference = preference === 'light' || preference === 'dark' ? preference : 'system';
}

dark.addEventListener('change', paint);

export function applyTheme(theme: string | undefined | null): void {
  preference = theme ?? 'system';
  paint();
}

paint();
