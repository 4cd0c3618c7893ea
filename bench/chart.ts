import { CURVE_KINDS, type CurvePoint } from './curves.js';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#7f7f7f'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * The cost curves as one SVG: a panel per database, users on a log scale
 * across, p95 milliseconds on a log scale up, a line per kind of request.
 */
export function costChart(curves: Array<{ dialect: string; points: CurvePoint[] }>): string {
  const W = 460;
  const H = 320;
  const pad = { left: 56, right: 16, top: 36, bottom: 44 };
  const all = curves.flatMap((c) => c.points.flatMap((p) => Object.values(p.p95))).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...all))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all, 1)));
  const sizes = curves[0]?.points.map((p) => p.users) ?? [];
  const x = (users: number) =>
    pad.left +
    ((Math.log10(users) - Math.log10(sizes[0]!)) / (Math.log10(sizes.at(-1)!) - Math.log10(sizes[0]!) || 1)) *
      (W - pad.left - pad.right);
  const y = (v: number) =>
    H -
    pad.bottom -
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (H - pad.top - pad.bottom);
  const panels = curves.map((c, n) => {
    const g: string[] = [
      `<g transform="translate(${n * W},0)">`,
      `<text x="${W / 2}" y="22" text-anchor="middle" font-weight="bold">${esc(c.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL')}</text>`,
    ];
    for (let v = lo; v <= hi; v *= 10)
      g.push(
        `<line x1="${pad.left}" x2="${W - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v} ms</text>`,
      );
    for (const s of sizes)
      g.push(
        `<line x1="${x(s)}" x2="${x(s)}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#eee"/><text x="${x(s)}" y="${H - pad.bottom + 16}" text-anchor="middle">${s.toLocaleString('en-US')}</text>`,
      );
    g.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">users</text>`);
    CURVE_KINDS.forEach((k, i) => {
      const pts = c.points.map((p) => `${x(p.users).toFixed(1)},${y(p.p95[k.key]).toFixed(1)}`).join(' ');
      g.push(
        `<polyline fill="none" stroke="${COLOURS[i]}" stroke-width="2"${k.key === 'offset' ? ' stroke-dasharray="5 4"' : ''} points="${pts}"/>`,
      );
      for (const p of c.points)
        g.push(`<circle cx="${x(p.users).toFixed(1)}" cy="${y(p.p95[k.key]).toFixed(1)}" r="3" fill="${COLOURS[i]}"/>`);
    });
    g.push('</g>');
    return g.join('\n');
  });
  const legend = CURVE_KINDS.map(
    (k, i) =>
      `<g transform="translate(${16 + (i % 3) * 300},${H + 18 + Math.floor(i / 3) * 20})"><line x1="0" x2="24" y1="-4" y2="-4" stroke="${COLOURS[i]}" stroke-width="2"${k.key === 'offset' ? ' stroke-dasharray="5 4"' : ''}/><text x="30" y="0">${esc(k.label)}</text></g>`,
  );
  const width = W * Math.max(1, curves.length);
  const height = H + 60;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<title>p95 latency by number of users</title>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
