import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface Hotspot {
  name: string;
  where: string;
  selfPercent: number;
}

/**
 * The functions with the most self time in a V8 .cpuprofile, and the share by
 * area (Usher's own code, Fastify, Kysely/SQLite, jose, pino, Node internals).
 */
export function summarise(
  path: string,
  top = 12,
): { hotspots: Hotspot[]; areas: Array<{ area: string; percent: number }> } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, { name: string; where: string; time: number }>();
  const byArea = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = original(byId.get(id)!.callFrame);
    const file = url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '');
    const where = file ? `${file.replace(/^.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : '(native)';
    const name = functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { name, where, time: 0 };
    entry.time += time;
    byFunction.set(key, entry);
    byArea.set(area(url, name), (byArea.get(area(url, name)) ?? 0) + time);
  }
  const pct = (t: number) => Math.round((t / total) * 1000) / 10;
  return {
    hotspots: [...byFunction.values()]
      .sort((a, b) => b.time - a.time)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfPercent: pct(e.time) })),
    areas: [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([a, t]) => ({ area: a, percent: pct(t) })),
  };
}

// The build bundles src/ and most packages into dist/: its source maps say where a function came from.
const maps = new Map<string, SourceMap | undefined>();
function original(frame: Node['callFrame']): Node['callFrame'] {
  if (!frame.url.startsWith('file://') || !frame.url.includes('/dist/')) return frame;
  let map = maps.get(frame.url);
  if (!maps.has(frame.url)) {
    const file = `${fileURLToPath(frame.url)}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
    maps.set(frame.url, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (!entry?.originalSource) return frame;
  return {
    ...frame,
    url: new URL(entry.originalSource, frame.url).href,
    lineNumber: entry.originalLine ?? frame.lineNumber,
  };
}

function area(url: string, name: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (url.includes('/src/')) return 'Usher (src/)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'Node.js internals';
  return 'native / V8';
}
