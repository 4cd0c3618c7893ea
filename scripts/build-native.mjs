// Builds the better-sqlite3 that this Node.js runs (src/db/sqlite-driver.ts picks the same one):
// version 12 on Node.js 20, version 13 (installed as `better-sqlite3-next`) on Node.js 22 and
// later. package.json's allowScripts keeps npm from building either on its own, so an install
// compiles one, not both. prebuild-install fetches a prebuilt binary where it can; otherwise
// node-gyp compiles it (against `npm ci --nodedir=…` when given, as npm passes it on).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const name = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-next' : 'better-sqlite3';
const require = createRequire(import.meta.url);
const dir = dirname(require.resolve(`${name}/package.json`));

const loads = () =>
  spawnSync(process.execPath, ['-e', `new (require(${JSON.stringify(name)}))(':memory:').close()`], { stdio: 'ignore' })
    .status === 0;

if (loads()) process.exit(0);
console.log(`building ${name} for Node.js ${process.versions.node}`);
const bin = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
const prebuilt = existsSync(bin) && spawnSync(process.execPath, [bin], { cwd: dir, stdio: 'inherit' }).status === 0;
if (!prebuilt) {
  // npm tells its scripts where its own node-gyp is; outside npm, node-gyp must be on the PATH.
  const gyp = process.env.npm_config_node_gyp;
  const built = gyp
    ? spawnSync(process.execPath, [gyp, 'rebuild', '--release'], { cwd: dir, stdio: 'inherit' })
    : spawnSync('node-gyp', ['rebuild', '--release'], { cwd: dir, stdio: 'inherit', shell: true });
  if (built.status !== 0 || !loads()) {
    console.error(`${name} could not be built for Node.js ${process.versions.node}`);
    process.exit(1);
  }
}
