import type ProviderClass from 'oidc-provider';

/**
 * oidc-provider, imported once. On Node.js 20 it prints a plain-text warning to the console as it loads, which would
 * break the JSON log; that one line is held back here, and the composition root logs the fact as JSON instead.
 */
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
};
const loaded = await import('oidc-provider').finally(() => {
  console.warn = warn;
});

export const Provider: typeof ProviderClass = loaded.default;

/** oidc-provider supports the Node.js LTS lines from 22 on. */
export const PROVIDER_RUNTIME_SUPPORTED = Number(process.versions.node.split('.')[0]) >= 22;
