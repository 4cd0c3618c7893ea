// Runs every *.test.ts under test/ and src/ with node:test through tsx: on
// SQLite always, and again on PostgreSQL when TEST_DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
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
let failed = false;
for (const dialect of dialects) {
  console.log(`\n# Usher test suite on ${dialect} (${files.length} files)\n`);
  // On SQLite, test files run two at a time on a two-core machine (more where there are more cores): most of a
  // file's time is spent waiting on a server, a database or a child process, so two overlap well. On PostgreSQL
  // they run one at a time: Kysely's migrator reads every schema's catalog, which fails ("schema … does not
  // exist") while another file creates or drops its own schema (docs/decisions.md).
  const atOnce = dialect === 'postgres' ? 1 : Math.max(2, availableParallelism());
  const concurrency = `--test-concurrency=${atOnce}`;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', concurrency, '--test-reporter=spec', ...files],
    {
      stdio: 'inherit',
      env: { ...process.env, USHER_TEST_DIALECT: dialect },
    },
  );
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
