import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { freePort, tempDir } from '../../scripts/fixtures.js';
import { createVerifier } from '../../packages/client/src/server.js';
import { createDatabase } from '../../src/db/database.js';
import { waitFor } from '../support/redis-helper.js';
import { type Server, call, startServer } from '../support/servers.js';
import { signWith } from '../support/keys.js';
import { createPrivateKey } from 'node:crypto';

/**
 * Issue 25: the SDK's verifier (user-management-api-client/server) against a real Usher process, and the README's
 * Express and Fastify examples run as written against it, across a key rotation.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'SecurePass123!';
const ADMIN = { USHER_ADMIN_USERNAME: 'admin', USHER_ADMIN_EMAIL: 'admin@example.com', USHER_ADMIN_PASSWORD: PASSWORD };
let usher: Server;
let issuer: string;
let dbFile: string;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  dbFile = join(tempDir('usher-verifier-'), 'usher.db');
  usher = await startServer({
    ...ADMIN,
    PORT: String(port),
    USHER_ISSUER: issuer,
    DATABASE_URL: `sqlite:${dbFile}`,
    USHER_RATE_LIMIT: 'off',
  });
});
after(() => usher?.stop());

const login = async () =>
  (await call(usher.base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: PASSWORD } })).body;
const rotate = async () => {
  const res = await call(usher.base, 'POST', '/api/v1/signing-keys/rotate', { token: (await login()).access_token });
  assert.equal(res.status, 200);
};

/** Signs claims with Usher's current key, read from its database file. */
async function forge(claims: object): Promise<string> {
  const database = createDatabase(`sqlite:${dbFile}`);
  try {
    const row = await database.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('state', '=', 'current')
      .executeTakeFirstOrThrow();
    const key = createPrivateKey({ key: JSON.parse(row.private_key!), format: 'jwk' });
    return signWith(key, row.alg, { alg: row.alg, kid: row.kid, typ: 'JWT' }, claims);
  } finally {
    await database.close();
  }
}

test('the verifier: a good token answers its claims; tampered, expired, another issuer and junk throw', async () => {
  const verifier = createVerifier({ issuer });
  const { access_token } = await login();
  const claims = await verifier.verify(access_token);
  assert.equal(claims.iss, issuer);
  assert.equal(typeof claims.sub, 'string');
  assert.equal(typeof claims.sid, 'string');
  const [h, , s] = access_token.split('.');
  const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
  await assert.rejects(verifier.verify(`${h}.${changed}.${s}`), /signature verification failed/);
  const iat = Math.floor(Date.now() / 1000) - 7200;
  await assert.rejects(
    verifier.verify(await forge({ ...claims, iat, exp: iat + 3600 })),
    /"exp" claim timestamp check failed/,
  );
  await assert.rejects(verifier.verify(await forge({ ...claims, iss: 'https://evil.example' })), /unexpected "iss"/);
  await assert.rejects(
    createVerifier({ issuer: 'https://other.example', jwksUri: `${issuer}/.well-known/jwks.json` }).verify(
      access_token,
    ),
    /unexpected "iss"/,
  );
  await assert.rejects(verifier.verify('not.a.token'));
  await assert.rejects(createVerifier({ issuer, audience: 'billing' }).verify(access_token), /"aud"/);
});

test('the verifier: a key it has not seen (two rotations later) makes it fetch the JWKS again', async () => {
  const verifier = createVerifier({ issuer, cooldownDuration: 500 });
  const first = (await login()).access_token;
  await verifier.verify(first);
  // One rotation: the key that signs now was next, already in the fetched JWKS.
  await rotate();
  const second = (await login()).access_token;
  assert.notEqual(decodeProtectedHeader(second).kid, decodeProtectedHeader(first).kid);
  await verifier.verify(second);
  // Two: the new current key was made after the fetch; an unknown kid refetches (after the cooldown).
  await rotate();
  const third = (await login()).access_token;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal((await verifier.verify(third)).iss, issuer);
  // The first token still verifies: its key is retired, still published.
  await verifier.verify(first);
});

/** The README's fenced example that starts with `import <name> from '<module>'`, the package import made local. */
function readmeExample(module: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(`from '${module}'`) && b.includes('createVerifier'));
  assert.ok(block, `README has the ${module} example`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/client/package.json'), 'utf8'));
  const server = join(ROOT, 'packages/client', pkg.exports['./server'].import);
  // The package name resolves through node_modules, which may point at another checkout: this one's build is used.
  return block.replace("'user-management-api-client/server'", `'${pathToFileURL(server).href}'`);
}

for (const framework of ['express', 'fastify']) {
  test(`the README's ${framework} example accepts Usher's tokens and refuses others, across a key rotation`, async (t) => {
    const dir = join(ROOT, `.readme-example-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, `${framework}.mjs`);
    writeFileSync(file, readmeExample(framework));
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [file], {
      env: { ...process.env, USHER_ISSUER: issuer, PORT: String(port) },
      stdio: 'ignore',
    });
    t.after(() => child.kill());
    const me = (token?: string) =>
      fetch(`http://127.0.0.1:${port}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    await waitFor(`the ${framework} example to listen`, () =>
      me().then(
        () => true,
        () => false,
      ),
    );
    const before = (await login()).access_token;
    const claims = await createVerifier({ issuer }).verify(before);
    assert.deepEqual(await me(before), { status: 200, body: { user: claims.sub } });
    assert.deepEqual(await me(), { status: 401, body: { error: 'invalid_token' } });
    assert.equal((await me(`${before.slice(0, -4)}AAAA`)).status, 401);
    await rotate();
    const rotated = (await login()).access_token;
    assert.notEqual(decodeProtectedHeader(rotated).kid, decodeProtectedHeader(before).kid);
    assert.equal((await me(rotated)).status, 200);
    assert.equal((await me(before)).status, 200, 'a token from before the rotation still works');
  });
}
