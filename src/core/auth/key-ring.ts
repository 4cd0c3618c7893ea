import type { AsymmetricAlg } from '../../config-keys.js';
import type { SecretBox } from '../security/secret-box.js';
import type { SigningKeyRecord, Storage } from '../storage.js';
import { newKeyPair, newKid, privateKeyOf, publicKeyOf, secretKeyOf, signer } from './key-material.js';
import { type KeyRing, type RingKey, secretKey } from './signing-keys.js';

export interface KeyRingDeps {
  storage: Storage;
  box: SecretBox;
  alg: AsymmetricAlg;
  /** The access tokens' lifetime, seconds: a retired key verifies this long (and SKEW) after its rotation. */
  ttl: number;
  now: () => number;
  /** USHER_JWT_SECRET kept beside an asymmetric alg: tokens it signed still verify (the migration path). */
  legacySecret?: string;
}

/** Room for clocks and for an instance that has not yet heard of a rotation (it reloads within RELOAD_EVERY). */
const SKEW_MS = 60_000;
/** An instance reloads its keys this often (in the background, when it signs), besides the bus and unknown kids. */
const RELOAD_EVERY_MS = 30_000;

/** The context a key's secrets are sealed in: sealed values do not open in another row. */
export const keyContext = (kid: string): string => `signing_keys:${kid}`;

/** A new key pair as stored: the private JWK sealed. */
async function newRecord(deps: KeyRingDeps, state: 'next' | 'current'): Promise<SigningKeyRecord> {
  const kid = newKid();
  const { publicJwk, privateJwk } = await newKeyPair(deps.alg, kid);
  const at = new Date(deps.now()).toISOString();
  return {
    kid,
    alg: deps.alg,
    state,
    publicJwk: JSON.stringify(publicJwk),
    privateKey: deps.box.seal(JSON.stringify(privateJwk), keyContext(kid)),
    secret: '',
    createdAt: at,
    retiresAt: null,
    activatedAt: state === 'current' ? at : null,
  };
}

/** A stored key, imported once (private halves only for the keys that sign or will). */
function importKey(r: SigningKeyRecord, box: SecretBox): RingKey {
  const base = {
    kid: r.kid,
    state: r.state,
    createdAt: r.createdAt,
    activatedAt: r.activatedAt,
    retiresAt: r.retiresAt,
  };
  if (r.alg === 'HS256') {
    const key = secretKeyOf(Buffer.from(box.open(r.secret, keyContext(r.kid)), 'base64url'));
    return { ...base, alg: 'HS256', verifyKey: key };
  }
  const publicJwk = JSON.parse(r.publicJwk!);
  const key: RingKey = { ...base, alg: r.alg as AsymmetricAlg, verifyKey: publicKeyOf(publicJwk), publicJwk };
  if (r.state !== 'retired' && r.privateKey) {
    key.privateJwk = JSON.parse(box.open(r.privateKey, keyContext(r.kid)));
    key.sign = signer(key.alg, privateKeyOf(key.privateJwk!));
  }
  return key;
}

/**
 * Makes the next and current keys that are missing (instances starting together race on the unique index of states:
 * the losers' inserts do nothing and they read the winners' keys), replaces a next key of another algorithm than
 * USHER_JWT_ALG (a next key has signed nothing), and seals secrets stored plain when USHER_SECRETS_KEY is set.
 */
async function ensureKeys(deps: KeyRingDeps): Promise<SigningKeyRecord[]> {
  const store = deps.storage.signingKeys;
  let rows = await store.all();
  const next = rows.find((r) => r.state === 'next');
  if (next && next.alg !== deps.alg) await store.dropNext(next.kid);
  if (!rows.some((r) => r.state === 'current')) await store.insert(await newRecord(deps, 'current'));
  if (!next || next.alg !== deps.alg) await store.insert(await newRecord(deps, 'next'));
  rows = await store.all();
  if (deps.box.sealing)
    for (const r of rows) {
      const plainKey = r.privateKey !== null && !deps.box.isSealed(r.privateKey);
      const plainSecret = r.secret !== '' && !deps.box.isSealed(r.secret);
      if (!plainKey && !plainSecret) continue;
      const seal = (v: string) => deps.box.seal(v, keyContext(r.kid));
      await store.reseal(r.kid, r, {
        privateKey: plainKey ? seal(r.privateKey!) : r.privateKey,
        secret: plainSecret ? seal(r.secret) : r.secret,
      });
    }
  return rows;
}

/**
 * Keys live in the database so every instance, and every restart, signs and checks with the same ones. A token
 * naming a kid this instance has not seen makes it reload, at most once a second; a rotation elsewhere reaches it
 * through the bus (`reload`), and it reloads by itself every RELOAD_EVERY_MS when it signs. Until then it signs with
 * the key that was current, which stays published and verifiable (retired) for a token's lifetime and SKEW.
 */
export async function loadKeyRing(deps: KeyRingDeps): Promise<KeyRing> {
  const { storage, box, now } = deps;
  let keys: RingKey[] = [];
  let byKid = new Map<string, RingKey>();
  let current!: RingKey;
  let shape = '';
  let loadedAt = 0;
  let reloading: Promise<void> | undefined;
  const listeners: Array<() => void> = [];
  const legacy = deps.legacySecret === undefined ? undefined : secretKey(deps.legacySecret);
  const live = (k: RingKey) => k.retiresAt === null || Date.parse(k.retiresAt) > now();

  const install = (rows: SigningKeyRecord[]) => {
    const imported = rows.map((r) => importKey(r, box));
    const found = imported.find((k) => k.state === 'current' && k.sign);
    if (!found) throw new Error('the signing_keys table has no current key');
    keys = imported;
    byKid = new Map(keys.map((k) => [k.kid, k]));
    current = found;
    loadedAt = now();
    const before = shape;
    shape = keys.map((k) => `${k.kid}:${k.state}`).join(',');
    if (before !== '' && before !== shape) for (const listener of listeners) listener();
  };
  const reload = () => {
    reloading ??= storage.signingKeys
      .all()
      .then(install)
      .finally(() => {
        reloading = undefined;
      });
    return reloading;
  };
  install(await ensureKeys(deps));

  return {
    alg: deps.alg,
    current() {
      if (now() - loadedAt > RELOAD_EVERY_MS && !reloading) reload().catch(() => {});
      return current;
    },
    async find(kid, alg) {
      let hit = byKid.get(kid);
      if (!hit && now() - loadedAt >= 1000) {
        await reload().catch(() => {});
        hit = byKid.get(kid);
      }
      if (!hit && alg === 'HS256') return legacy;
      return hit && live(hit) ? hit : undefined;
    },
    published: () => keys.filter((k) => k.publicJwk && live(k)).map((k) => k.publicJwk!),
    list: () => keys.filter(live),
    async rotate(options = {}) {
      const at = now();
      const rotated = await storage
        .transaction(async (s) => {
          const rows = await s.signingKeys.all();
          const cur = rows.find((r) => r.state === 'current');
          const next = rows.find((r) => r.state === 'next');
          if (!cur || !next) throw new LostRace();
          if (options.olderThan !== undefined && Date.parse(cur.activatedAt ?? cur.createdAt) > options.olderThan)
            return false;
          const iso = new Date(at).toISOString();
          const retiresAt = new Date(at + deps.ttl * 1000 + SKEW_MS).toISOString();
          if (!(await s.signingKeys.move(cur.kid, 'current', 'retired', { retiresAt }))) throw new LostRace();
          if (!(await s.signingKeys.move(next.kid, 'next', 'current', { activatedAt: iso }))) throw new LostRace();
          if (!(await s.signingKeys.insert(await newRecord(deps, 'next')))) throw new LostRace();
          await options.also?.(s);
          return true;
        })
        .catch((error) => {
          if (error instanceof LostRace) return false;
          throw error;
        });
      await reload();
      return rotated;
    },
    reload,
    currentPrivateJwk: () => ({ ...current.privateJwk! }),
    onChange: (listener) => void listeners.push(listener),
    async sweep() {
      if ((await storage.signingKeys.deleteRetired(new Date(now()).toISOString())) > 0) await reload();
    },
  };
}

/** Another instance moved the keys first: the transaction is rolled back. */
class LostRace extends Error {}
