import { createHash } from 'node:crypto';
import type { SettingsStore } from '../storage.js';
import type { SecretBox } from './secret-box.js';

/**
 * Keys of other systems that their imported hashes need at every login
 * (Firebase's project signer key): sealed once with the secret box in the
 * `settings` table and named from the hash by a reference, so the key is
 * neither copied into every user's row nor shown by an export of hashes. The
 * reference is a truncated SHA-256 of the key: importing the same project
 * twice keeps one setting, another project gets its own.
 */
export interface ForeignKeys {
  /** The key (base64) a reference names, or undefined; read once per process. */
  get(ref: string): Promise<string | undefined>;
  /** Seals and keeps the key (base64) unless kept already; answers its reference. */
  put(key: string): Promise<string>;
}

export const foreignKeyRef = (key: string): string =>
  createHash('sha256').update('usher-foreign-key\0').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 16);

const settingOf = (ref: string) => `foreign-key:${ref}`;

export function foreignKeys(settings: SettingsStore, box: SecretBox): ForeignKeys {
  const known = new Map<string, string>();
  return {
    async get(ref) {
      const cached = known.get(ref);
      if (cached) return cached;
      const stored = await settings.get(settingOf(ref));
      if (stored === undefined) return undefined;
      const key = box.open(stored, settingOf(ref));
      known.set(ref, key);
      return key;
    },
    async put(key) {
      const ref = foreignKeyRef(key);
      await settings.setIfAbsent(settingOf(ref), box.seal(key, settingOf(ref)));
      return ref;
    },
  };
}
