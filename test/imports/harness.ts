import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import * as OTPAuth from 'otpauth';
import { cliFixture } from '../support/cli.js';
import { build } from '../support/helper.js';

/**
 * An import as an operator runs it (`npx usher import --from …` against a
 * database of its own, with USHER_SECRETS_KEY set), then the app over the
 * same database: logins over HTTP, rows read from the database.
 */
export async function importHarness(t: TestContext) {
  const secretsKey = randomBytes(32).toString('base64');
  const cli = await cliFixture(t, { USHER_SECRETS_KEY: secretsKey });
  const run = (args: string[]) => {
    const r = cli.usher(['import', ...args, '--json'], { npx: false });
    return { ...r, json: r.status === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined };
  };
  let app: Awaited<ReturnType<typeof build>> | undefined;
  const api = async () => (app ??= await build(t, { DATABASE_URL: cli.url, USHER_SECRETS_KEY: secretsKey }));
  const row = async (username: string) =>
    (await api()).database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const count = async () => {
    const db = (await api()).database.db;
    return Number(
      (
        await db
          .selectFrom('users')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  };
  /** Logs in with the old system's password: 200, and the stored hash is Usher's argon2id afterwards. */
  const logsIn = async (username: string, password: string) => {
    const a = await api();
    const res = await a.request('POST', '/api/v1/auth/login', { body: { username, password } });
    assert.equal(res.status, 200, `${username}: ${res.raw}`);
    assert.match((await row(username))!.password_hash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, `${username} rehashed`);
    const wrong = await a.request('POST', '/api/v1/auth/login', { body: { username, password: `${password}x` } });
    assert.equal(wrong.status, 401);
    return res.body as Record<string, unknown>;
  };
  /** The TOTP code of a base32 key at the app's clock. */
  const code = async (base32: string) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
      timestamp: (await api()).clock.now(),
    });
  return { ...cli, run, api, row, count, logsIn, code };
}
