import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const find = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? find(p) : n.endsWith('.test.ts') ? [p] : []; });
const files = [...find('src'), ...find('test')].sort();
const dialect = process.argv[2] ?? 'sqlite';
const out = [];
let i = 0;
async function worker() {
  while (i < files.length) {
    const f = files[i++];
    const t0 = Date.now();
    const c = spawn(process.execPath, ['--import', 'tsx', '--test', f], { stdio: 'ignore', env: { ...process.env, USHER_TEST_DIALECT: dialect, FUZZ_RUNS: dialect === 'postgres' ? '500' : '1500' } });
    const [code] = await once(c, 'close');
    out.push([f, Date.now() - t0, code]);
    writeFileSync(`/tmp/pertime-${dialect}.json`, JSON.stringify(out.sort((a, b) => b[1] - a[1]), null, 0));
  }
}
const t0 = Date.now();
await Promise.all([worker(), worker()]);
console.log('total', Date.now() - t0);
