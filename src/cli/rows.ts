import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { MAX_ROW_BYTES, UnreadableFile, lines, tooLong } from '../core/users/import-sources/files.js';
import type { ImportRow } from '../core/users/user.import-rows.js';
import { unguardCell } from './csv-cells.js';

/**
 * Reading import files (CSV or JSONL) as rows, in bounded memory: no line
 * (JSONL) or record (CSV, whose quoted cells may span lines) may be longer
 * than MAX_ROW_BYTES. One user's row is a few hundred bytes; a longer one is
 * not a file of users (a dump on one line, a quote that never closes), and
 * reading it whole could exhaust the process's memory.
 */

export type Format = 'csv' | 'jsonl';

export { MAX_ROW_BYTES, UnreadableFile } from '../core/users/import-sources/files.js';

export const formatOf = (file: string, given: string | undefined): Format | undefined => {
  const f = given ?? (/\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson|json)$/i.test(file) ? 'jsonl' : undefined);
  return f === 'csv' || f === 'jsonl' ? f : undefined;
};

/** Rows in the file, for the progress bar's ETA (lines, less the CSV header). */
export async function countRows(file: string, format: Format): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (last !== 10) lines++;
  return format === 'csv' ? Math.max(0, lines - 1) : lines;
}

/** A JSONL file's rows: one JSON object per line; blank lines are skipped. */
async function* jsonlRows(file: string): AsyncGenerator<ImportRow> {
  for await (const { line, text } of lines(file)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, fields: { error: 'not valid JSON' } };
      continue;
    }
    yield value && typeof value === 'object' && !Array.isArray(value)
      ? { line, fields: value as Record<string, unknown> }
      : { line, fields: { error: 'not a JSON object' } };
  }
}

interface Info {
  lines: number;
  empty_lines: number;
}

/**
 * A CSV file's rows: a header line names the columns; empty cells are absent
 * fields; a cell guarded against formulas (csv-cells.ts) loses its quote.
 */
async function* csvRows(file: string): AsyncGenerator<ImportRow> {
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      info: true,
      trim: false,
      max_record_size: MAX_ROW_BYTES,
    }),
  );
  // Where the last record ended, and the blank lines skipped until then: a record that is too long is named by its
  // first line.
  let ended = 1;
  let blank = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
      const fields = Object.fromEntries(
        Object.entries(record).flatMap(([k, v]) => (v === '' ? [] : [[k, unguardCell(v)]])),
      );
      yield { line: info.lines, fields };
      ended = info.lines;
      blank = info.empty_lines;
    }
  } catch (error) {
    source.destroy();
    parser.destroy();
    // A broken CSV (an unclosed quote, a row with more cells than the header) cannot be read on.
    const e = error as Partial<Info> & { code?: string; message?: string; header?: boolean };
    if (e.code === 'CSV_MAX_RECORD_SIZE') {
      const start = e.header ? 1 : ended + 1 + (e.empty_lines ?? blank) - blank;
      throw new UnreadableFile(
        start,
        `${tooLong(e.header ? 'the header' : 'the row that starts here')} (a quote that never closes?)`,
      );
    }
    throw new Error(`the CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? String(error)}`);
  }
}

export const readRows = (file: string, format: Format): AsyncGenerator<ImportRow> =>
  format === 'csv' ? csvRows(file) : jsonlRows(file);
