import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const byId = new Map(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfT = new Map<number, number>();
p.samples.forEach((id: number, i: number) => selfT.set(id, (selfT.get(id) ?? 0) + p.timeDeltas[i]));
const total = [...selfT.values()].reduce((a, b) => a + b, 0);
const incl = new Map<string, number>();
for (const [id, t] of selfT) {
  const seen = new Set<string>();
  let cur: number | undefined = id;
  while (cur !== undefined) {
    const n: any = byId.get(cur);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
    if (!seen.has(key)) { incl.set(key, (incl.get(key) ?? 0) + t); seen.add(key); }
    cur = parent.get(cur);
  }
}
const idle = [...selfT].filter(([id]) => (byId.get(id) as any).callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
console.log('busy %', (((total - idle) / total) * 100).toFixed(1));
const filt = process.argv[3] ? new RegExp(process.argv[3]) : /./;
[...incl].filter(([k]) => filt.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 60)).forEach(([k, t]) => console.log(((t / (total - idle)) * 100).toFixed(1).padStart(5), k));
