import type { SigningKeyStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** The signing_keys table: the HS256 keys tokens are signed with (see core/auth/signing-keys.ts). */
export function signingKeyStore({ db }: StoreContext): SigningKeyStore {
  return {
    async all() {
      const rows = await db
        .selectFrom('signing_keys')
        .select(['kid', 'secret'])
        .where('alg', '=', 'HS256')
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
      return rows.map((r) => ({ kid: r.kid, secret: Buffer.from(r.secret, 'base64url') }));
    },
    async insert(key, at) {
      await db
        .insertInto('signing_keys')
        .values({ kid: key.kid, alg: 'HS256', secret: Buffer.from(key.secret).toString('base64url'), created_at: at })
        .execute();
    },
  };
}
