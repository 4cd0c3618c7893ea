// Runs every *.test.ts under test/ and src/ with node:test through tsx: on
// SQLite always, and again on PostgreSQL when TEST_DATABASE_URL is set.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// The tests that start the server or the CLI as a process run the build (dist/), as
// `npm start` and `npx usher` do: build it from the sources under test first.
const built = spawnSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...find('src'), ...find('test')].sort();
const dialects = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
// The unit tests beside the sources touch no database (but those of src/db/, which test both dialects' drivers).
// What a person sees in a browser (the console's pages, /docs, the hosted sign-in pages) is the same on either
// database, and those files are among the slowest: they run on SQLite only. Every API they call is tested on both.
const BROWSER_PAGES = new Set([
  'test/console/console.test.ts',
  'test/console/applications.test.ts',
  'test/http/docs-page.test.ts',
  'test/oidc/hosted-pages.test.ts',
  'test/email-sign-in/email-links-browser.test.ts',
  'test/passkeys/passkeys-browser.test.ts',
  'test/dashboard/dashboard-browser.test.ts',
  'test/console/webhooks.test.ts',
  'test/console/organizations.test.ts',
  'test/console/organization-sections.test.ts',
  'test/organization-sso/organization-sso-browser.test.ts',
  'test/custom-data/custom-data-browser.test.ts',
]);
// So is what a person sees in a terminal: the commands' help, tables and exit codes (they call the core, whose
// storage every other file tests on both; the import and export files, which have dialect-specific paths, run twice).
const TERMINAL = new Set([
  'test/cli/cli.test.ts',
  'test/applications/applications-cli.test.ts',
  'test/keys/keys-cli.test.ts',
  'test/webhooks/webhook-cli.test.ts',
  'test/organizations/org-cli.test.ts',
  'test/roles/role-cli.test.ts',
  'test/imports/keycloak.test.ts',
  'test/imports/firebase.test.ts',
  'test/imports/auth0-supabase-clerk.test.ts',
]);
// And the HTTP layer's own behaviour: proxies and client addresses, security headers, request parsing and limits,
// rate limits (their counters are in memory or Redis, never the database), the OpenAPI document's shape.
const HTTP_LAYER = new Set(
  ['proxy', 'hardening', 'passwords-headers', 'security-input', 'rate-limit', 'openapi'].map(
    (name) => `test/http/${name}.test.ts`,
  ),
);
// And what reads the OpenAPI document rather than the database: the contract's coverage of every operation (every
// request of every other test is checked against the document on both), the SDK's types and its client's behaviour
// over HTTP.
const DOCUMENT = new Set(['test/http/openapi-contract.test.ts', 'test/sdk/sdk.test.ts', 'test/sdk/sdk-types.test.ts']);
const onceOnly = (file) =>
  BROWSER_PAGES.has(file) ||
  DOCUMENT.has(file) ||
  TERMINAL.has(file) ||
  HTTP_LAYER.has(file) ||
  (file.startsWith('src/') && !file.startsWith('src/db/'));
// The passes run side by side (the PostgreSQL one waits on its database more than on the cores); the first
// prints as it goes, the others when they end, so their lines never interleave.
async function pass(dialect, live) {
  // On SQLite, test files run two at a time on a two-core machine (more where there are more cores): most of a
  // file's time is spent waiting on a server, a database or a child process, so two overlap well. On PostgreSQL
  // they run one at a time: Kysely's migrator reads every schema's catalog, which fails ("schema … does not
  // exist") while another file creates or drops its own schema (docs/decisions.md).
  const atOnce = dialect === 'postgres' ? 2 : Math.max(2, availableParallelism());
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${atOnce}`,
      '--test-reporter=spec',
      ...files.filter((f) => dialect === 'sqlite' || !onceOnly(f)),
    ],
    {
      stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      // The fuzz's 1,500 cases per run on SQLite, 500 on PostgreSQL (input handling is the same HTTP code on both).
      env: { FUZZ_RUNS: dialect === 'postgres' ? '500' : '1500', ...process.env, USHER_TEST_DIALECT: dialect },
    },
  );
  const output = [];
  child.stdout?.on('data', (d) => output.push(d));
  child.stderr?.on('data', (d) => output.push(d));
  const [code] = await once(child, 'close');
  return { dialect, code, output: Buffer.concat(output).toString() };
}

console.log(
  `\n# Usher test suite on ${dialects.join(' and ')} (${files.length} files)${dialects.length > 1 ? `; ${dialects.slice(1).join(', ')} printed when it ends` : ''}\n`,
);
const results = await Promise.all(dialects.map((d, i) => pass(d, i === 0)));
for (const r of results.slice(1)) console.log(`\n# Usher test suite on ${r.dialect}\n\n${r.output}`);
for (const r of results) console.log(`# ${r.dialect}: ${r.code === 0 ? 'passed' : 'FAILED'}`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
