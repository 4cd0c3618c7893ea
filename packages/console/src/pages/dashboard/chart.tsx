/**
 * A line chart drawn as inline SVG by hand (no chart library): a few series over labelled buckets, each series with
 * its own colour and dash pattern (never colour alone), an aria-label that says what it shows, and the same figures
 * as a table in a <details> for screen readers and anyone who would rather read numbers.
 */

export interface Series {
  name: string;
  values: number[];
  /** 1-3: the series' colour and dash (styles/dashboard.css). */
  style: 1 | 2 | 3;
}

interface ChartProps {
  id: string;
  title: string;
  /** What a bucket is called in the table's first column ("Day", "Hour"). */
  bucket: string;
  /** Each bucket's short label (axis and table). */
  labels: string[];
  series: Series[];
}

const W = 960;
const H = 220;
const PAD = { left: 44, right: 16, top: 12, bottom: 30 };

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(n: number): number {
  if (n <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= n) ?? 10 * p) as number;
}

const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function LineChart({ id, title, bucket, labels, series }: ChartProps) {
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = labels.length;
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / top);
  const ticks = [0, Math.floor((n - 1) / 2), n - 1];
  const summary = `${title}: ${series.map((s) => `${s.name} ${total(s.values)} in all, at most ${Math.max(0, ...s.values)}`).join('; ')}.`;
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <ul class="legend">
        {series.map((s) => (
          <li>
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="24" y2="5" class={`series-${s.style}`} />
            </svg>
            {s.name} <span class="muted">({total(s.values)})</span>
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {[0, top / 2, top].map((v) => (
          <g>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {ticks.map((i) => (
          <text class="axis" x={x(i)} y={H - 8} text-anchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}>
            {labels[i]}
          </text>
        ))}
        {series.map((s) => (
          <polyline class={`series-${s.style}`} points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
        ))}
      </svg>
      <details>
        <summary>{title} as a table</summary>
        {/* A named region that takes the focus, so a keyboard can scroll it. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to be scrolled by keys */}
        <section class="table-scroll" tabIndex={0} aria-label={`${title}, table`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{bucket}</th>
                {series.map((s) => (
                  <th scope="col">{s.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, i) => (
                <tr>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td>{s.values[i]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </figure>
  );
}
