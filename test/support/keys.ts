import { createPrivateKey, sign } from 'node:crypto';
import type { TestApp } from './helper.js';

const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** The server's current signing key as stored (its private JWK plain: USHER_SECRETS_KEY is not set). */
export async function currentKeyRow(api: TestApp) {
  return api.database.db
    .selectFrom('signing_keys')
    .selectAll()
    .where('state', '=', 'current')
    .executeTakeFirstOrThrow();
}

/**
 * Signs a token with the server's own current key (read from its database), as someone holding the database file
 * could: `header` is merged over {alg, kid, typ}.
 */
export async function forge(api: TestApp, claims: object, header: object = {}): Promise<string> {
  const row = await currentKeyRow(api);
  const key = createPrivateKey({ key: JSON.parse(row.private_key!), format: 'jwk' });
  return signWith(key, row.alg, { alg: row.alg, kid: row.kid, typ: 'JWT', ...header }, claims);
}

/** A compact JWS signed with `key` (ES256, EdDSA or RS256). */
export function signWith(key: Parameters<typeof sign>[2], alg: string, header: object, claims: object): string {
  const input = `${part(header)}.${part(claims)}`;
  const data = Buffer.from(input);
  const signature =
    alg === 'ES256'
      ? sign('sha256', data, { key: key as never, dsaEncoding: 'ieee-p1363' })
      : sign(alg === 'EdDSA' ? null : 'sha256', data, key);
  return `${input}.${signature.toString('base64url')}`;
}
