import { validationError } from '../errors.js';
import { PATTERNS } from '../patterns.js';

/** Passkeys' field rules and limits, pure. */

/** A passkey's name: what its owner calls it ("Work laptop"). */
export const NAME_MAX = 64;
/** Passkeys per user: bounds the list every registration's options exclude. */
export const PASSKEYS_MAX = 25;
/** How long the browser may take over a ceremony: the challenge's own life (5 minutes). */
export const CEREMONY_TIMEOUT_MS = 300_000;

/** A name, trimmed: 1-64 printable characters. */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '' || name.length > NAME_MAX || PATTERNS.control.test(name))
    throw validationError({ name: `Name must be 1-${NAME_MAX} printable characters` });
  return name;
}

/** A new passkey's name: the one given, or (none given) one from the kind of passkey. */
export function passkeyName(raw: string | undefined, deviceType: 'singleDevice' | 'multiDevice'): string {
  if (raw === undefined || raw.trim() === '') return deviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey';
  return checkName(raw);
}

/**
 * The signature counter must grow, or a cloned authenticator could sign in beside the real one. Both 0 is the
 * exception: synced passkeys (and some platform authenticators) keep no counter and always send 0.
 */
export const counterAccepted = (stored: number, received: number): boolean =>
  received > stored || (stored === 0 && received === 0);
