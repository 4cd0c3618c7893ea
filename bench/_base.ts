import { readFileSync } from 'node:fs';
import { load } from './load.js';
import { startBaseline } from './processes.js';
const b = await startBaseline();
const cpu = () => { const f = readFileSync(`/proc/${b.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10_000; };
const c0 = cpu();
const r = await load({ url: `${b.url}/?bytes=600`, seconds: 5 });
console.log({ rps: Math.round(r.rps), cpuUsPerReq: ((cpu() - c0) / r.requests).toFixed(1), p99: r.p99 });
await b.stop();
