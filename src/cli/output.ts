/** How the `usher` command prints: a table on a terminal, JSON with --json (or when piped and asked). */

export interface Output {
  json: boolean;
  /** A list of records: a table, or a JSON array. */
  rows(rows: Array<Record<string, unknown>>, columns: string[]): void;
  /** One record: `key  value` lines, or a JSON object. */
  record(record: Record<string, unknown>): void;
  /** A line of news on stderr (never mixed into data on stdout). */
  note(message: string): void;
}

const cell = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

export function output(
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    rows(rows, columns) {
      if (json) {
        out.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
      const line = (values: string[]) =>
        values
          .map((v, i) => v.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      out.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
      for (const r of rows) out.write(`${line(columns.map((c) => cell(r[c])))}\n`);
      if (rows.length === 0) err.write('(none)\n');
    },
    record(record) {
      if (json) {
        out.write(`${JSON.stringify(record, null, 2)}\n`);
        return;
      }
      const width = Math.max(...Object.keys(record).map((k) => k.length));
      for (const [k, v] of Object.entries(record)) out.write(`${k.padEnd(width)}  ${cell(v)}\n`);
    },
    note(message) {
      err.write(`${message}\n`);
    },
  };
}

/**
 * Progress of a long run: a bar with count, rate and ETA on a terminal
 * (redrawn at most 10 times a second), a plain line every few seconds
 * otherwise (logs, CI).
 */
export function progress(
  label: string,
  total: number | undefined,
  err: NodeJS.WriteStream = process.stderr,
  now = () => Date.now(),
) {
  const started = now();
  let last = 0;
  const tty = err.isTTY === true;
  const every = tty ? 100 : 5000;
  const render = (done: number) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const eta = total && rate > 0 ? Math.max(0, (total - done) / rate) : undefined;
    const share = total ? Math.min(1, done / total) : undefined;
    const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] `;
    return `${label} ${bar}${done}${total ? `/${total}` : ''} rows, ${Math.round(rate)}/s${eta === undefined ? '' : `, ETA ${Math.ceil(eta)} s`}`;
  };
  return {
    update(done: number) {
      if (now() - last < every) return;
      last = now();
      err.write(tty ? `\r${render(done)}\u001b[K` : `${render(done)}\n`);
    },
    finish(done: number) {
      err.write(tty ? `\r${render(done)}\u001b[K\n` : `${render(done)}\n`);
    },
  };
}
