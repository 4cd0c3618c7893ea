import { ConfigError } from '../../config-error.js';
import type { Storage } from '../storage.js';
import { type SecretBox, SecretBoxError, totpContext } from './secret-box.js';

const CHECK_NAME = 'secret_box_check';
const CHECK_VALUE = 'usher-secret-box-check';

/**
 * At start, before any secret is read: a sealed check value kept in the settings table tells whether
 * USHER_SECRETS_KEY is the key the database's secrets were sealed with. A wrong key, or no key for a database whose
 * secrets are sealed, stops the start with a message naming the variable (never a secret read as garbage).
 */
export async function checkSecretsKey(storage: Storage, box: SecretBox): Promise<void> {
  const stored = box.sealing
    ? await storage.settings.setIfAbsent(CHECK_NAME, box.seal(CHECK_VALUE, CHECK_NAME))
    : await storage.settings.get(CHECK_NAME);
  if (stored === undefined) return;
  try {
    if (box.open(stored, CHECK_NAME) === CHECK_VALUE) return;
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
  }
  throw new ConfigError(
    'USHER_SECRETS_KEY',
    box.sealing
      ? 'is not the key the secrets in this database were encrypted with; set the key used before'
      : 'is not set, but the secrets in this database are encrypted; set the key they were encrypted with',
  );
}

/** Seals the TOTP secrets stored plain (before USHER_SECRETS_KEY was set), a page of users at a time. */
export async function sealTotpSecrets(storage: Storage, box: SecretBox): Promise<number> {
  if (!box.sealing) return 0;
  let sealed = 0;
  const seal = (id: string, v: string | null) => (v === null || box.isSealed(v) ? v : box.seal(v, totpContext(id)));
  for (let after = ''; ; ) {
    const page = await storage.mfa.secretsPage(after, 500);
    if (page.length === 0) return sealed;
    for (const row of page) {
      const now = { secret: seal(row.id, row.secret), pending: seal(row.id, row.pending) };
      if (now.secret === row.secret && now.pending === row.pending) continue;
      await storage.mfa.reseal(row.id, row, now);
      sealed++;
    }
    after = page[page.length - 1]!.id;
  }
}
