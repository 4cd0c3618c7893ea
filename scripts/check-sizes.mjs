// The house rule on file size, run by `npm test` beside the linter: a source file over
// 260 lines under src/, packages/*/src or bench/ (generated ones aside) fails, naming it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 260;
const GENERATED = new Set(['packages/client/src/api-types.ts']);
const ROOTS = ['src', 'bench', ...readdirSync('packages').map((p) => join('packages', p, 'src'))];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mjs|js|css)$/.test(name)) yield path;
  }
}

const over = [];
for (const root of ROOTS) {
  for (const path of files(root)) {
    if (GENERATED.has(path)) continue;
    const lines = readFileSync(path, 'utf8').split('\n').length - 1;
    if (lines > LIMIT) over.push(`${path}: ${lines} lines`);
  }
}
if (over.length > 0) {
  console.error(`Files over ${LIMIT} lines (split them by what they hold):\n  ${over.join('\n  ')}`);
  process.exit(1);
}
