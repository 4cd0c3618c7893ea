import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/**
 * Reading import files in bounded memory, whatever their size: lines
 * (JSONL, NDJSON), CSV records, and the items of a JSON document's list of
 * users (json-items.ts). No line, record or item may be longer than
 * MAX_ROW_BYTES: one user is a few hundred bytes (a Keycloak user with its
 * credentials a few kilobytes); anything longer is not a user (a dump on one
 * line, a quote that never closes) and reading it whole could exhaust the
 * process's memory.
 */

/** The most one row (a line, a CSV record, a JSON document's user) may take: 1 MiB. */
export const MAX_ROW_BYTES = 1024 * 1024;

/** A file the import cannot read on from `line`: the import stops there, whatever the options. */
export class UnreadableFile extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export const tooLong = (what: string): string =>
  `${what} is longer than 1 MiB (${MAX_ROW_BYTES} bytes), the most one user's row may take`;

export const chunksOf = (file: string): AsyncIterable<Buffer> => createReadStream(file) as AsyncIterable<Buffer>;

/**
 * The file's lines (without `\n` or `\r\n`), each decoded once whole; a line over the bound stops the reading there.
 */
export async function* lines(file: string): AsyncGenerator<{ line: number; text: string }> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 1;
  const text = () => {
    const s = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  for await (const chunk of chunksOf(file)) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(10, start);
      size += (end === -1 ? chunk.length : end) - start;
      if (size > MAX_ROW_BYTES) throw new UnreadableFile(line, tooLong('the line'));
      parts.push(chunk.subarray(start, end === -1 ? chunk.length : end));
      if (end === -1) break;
      yield { line, text: text() };
      parts = [];
      size = 0;
      line++;
      start = end + 1;
    }
  }
  if (size > 0) yield { line, text: text() };
}

/** A JSON-lines file's values, one per non-blank line; a line that is not JSON is answered as an error. */
export async function* jsonLines(
  file: string,
): AsyncGenerator<{ line: number; value: unknown } | { line: number; error: string }> {
  for await (const { line, text } of lines(file)) {
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      yield { line, error: 'not valid JSON' };
    }
  }
}

/** A CSV file's records as the header names them (an empty cell is ''), each with the line it ends on. */
export async function* csvRecords(file: string): AsyncGenerator<{ line: number; record: Record<string, string> }> {
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, info: true, max_record_size: MAX_ROW_BYTES }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, record };
    }
  } catch (error) {
    source.destroy();
    parser.destroy();
    const e = error as { code?: string; message?: string; lines?: number };
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw new UnreadableFile(e.lines ?? 1, `${tooLong('a CSV record')} (a quote that never closes?)`);
    throw new UnreadableFile(e.lines ?? 1, `the CSV cannot be read: ${e.message ?? String(error)}`);
  }
}

/** The file's first byte that is not white space (or a byte-order mark), to tell a JSON array from JSON lines or CSV. */
export async function firstByte(file: string): Promise<number | undefined> {
  for await (const chunk of chunksOf(file)) {
    for (const b of chunk)
      if (b !== 32 && b !== 9 && b !== 10 && b !== 13 && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  }
  return undefined;
}
