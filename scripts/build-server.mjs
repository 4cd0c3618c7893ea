// Builds the server and the `usher` command into dist/ (npm ci runs it through `prepare`).
// One bundle per entry point, sharing chunks: Node 20 loads one file far faster than the
// hundreds of modules behind it (docs/decisions.md has the measurement). Packages that
// are native, spawn workers, or are loaded only when configured stay outside the bundle.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Built beside dist/ and swapped in whole: `npx usher` runs `prepare` (this build) the first time it installs the
// checkout into its cache, and a test or a server may be starting dist/server.js at that moment.
const next = `dist.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
await build({
  entryPoints: ['src/server.ts', 'src/cli/usher.ts', 'src/cli/migrate.ts', 'src/cli/seed.ts'],
  outdir: next,
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Less for V8 to read at start; names stay, for stack traces and profiles.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  external: [
    'better-sqlite3',
    'better-sqlite3-next',
    '@node-rs/argon2',
    'pino',
    'pg',
    'ioredis',
    'nodemailer',
    'qrcode',
    '@zxcvbn-ts/*',
  ],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __usherRequire } from 'node:module'; const require = __usherRequire(import.meta.url);",
  },
});

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
