#!/usr/bin/env node
// The `usher` command (npx usher --help), as built into dist/ when the project installs (npm ci).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/usher.js', import.meta.url);
if (!existsSync(built)) {
  console.error('usher: dist/ is missing; run `npm ci` (or `npm run build`) in the project first');
  process.exit(1);
}
await import(built.href);
