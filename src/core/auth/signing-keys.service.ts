import { auditEvent, sourceOf } from '../audit.js';
import type { EventBus } from '../events.js';
import { assertCanListSigningKeys, assertCanRotateSigningKeys } from '../policy.js';
import { type Principal, systemPrincipal } from '../types.js';
import { type KeyRing, type RingKey, hs256Refusal } from './signing-keys.js';

/** A signing key as admins see it: public facts only. */
export interface SigningKeyInfo {
  kid: string;
  alg: string;
  state: RingKey['state'];
  createdAt: string;
  retiresAt: string | null;
}

export interface SigningKeysService {
  /** Next, current, and retired keys still verifying (moderators and admins). */
  list(actor: Principal): Promise<SigningKeyInfo[]>;
  /** next → current, current → retired, a new next (admins; audited `signing_key.rotated`). */
  rotate(actor: Principal): Promise<SigningKeyInfo[]>;
  /** Rotates when the current key is older than `days` (USHER_KEY_ROTATION_DAYS); one instance wins. */
  rotateIfOlder(days: number): Promise<boolean>;
}

const ORDER = { next: 0, current: 1, retired: 2 } as const;

const info = (k: RingKey): SigningKeyInfo => ({
  kid: k.kid,
  alg: k.alg,
  state: k.state,
  createdAt: k.createdAt,
  retiresAt: k.retiresAt,
});

/**
 * Listing and rotating the token-signing keys. A rotation is one transaction (with its audit event) that one instance
 * wins; every instance then hears a `signing_keys` event and reloads its ring.
 */
export function createSigningKeysService(ring: KeyRing, bus: EventBus, now: () => number): SigningKeysService {
  const listed = () =>
    ring
      .list()
      .map(info)
      .sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.createdAt.localeCompare(a.createdAt));
  // Another instance rotated: reload (the unknown-kid reload is the backstop when an event is lost).
  bus.subscribe((event) => event.kind === 'signing_keys' && void ring.reload().catch(() => {}));
  const rotate = async (actor: Principal, olderThan?: number) => {
    if (ring.alg === 'HS256') throw hs256Refusal();
    const from = ring.current().kid;
    const rotated = await ring.rotate({
      olderThan,
      also: async (s) => {
        const details = { retired_kid: from, alg: ring.alg, ...(olderThan !== undefined && { automatic: true }) };
        const at = new Date(now()).toISOString();
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'signing_key.rotated', targetId: null, details }, at));
      },
    });
    if (rotated) bus.publish({ kind: 'signing_keys', id: ring.current().kid });
    return rotated;
  };
  return {
    async list(actor) {
      assertCanListSigningKeys(actor);
      return listed();
    },
    async rotate(actor) {
      assertCanRotateSigningKeys(actor);
      // Two admins rotating at once: the second one's rotation runs after the first's, on the keys it left.
      if (!(await rotate(actor))) await rotate(actor);
      return listed();
    },
    async rotateIfOlder(days) {
      if (ring.alg === 'HS256') return false;
      return rotate(systemPrincipal(), now() - days * 86400_000);
    },
  };
}
