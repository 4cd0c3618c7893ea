import { MAX_ROW_BYTES, UnreadableFile, tooLong } from './files.js';

/**
 * The users of a JSON document, one at a time, without reading the document
 * whole: a scan of its bytes that follows strings and nesting, and keeps
 * only the user being read (at most MAX_ROW_BYTES). `list` says where the
 * users are: the document itself is the list (`root`, Auth0's JSON array),
 * or the list is its top-level `users` field (Keycloak's realm and
 * `-users-N.json` files, Firebase's `auth:export`). Everything else in the
 * document is scanned past, never kept. A document that is not JSON is
 * unreadable (the import stops there); each user is answered with the line
 * it starts on.
 */
export type ListAt = 'root' | 'users';

const [QUOTE, BACKSLASH, OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR, COMMA, NEWLINE] = [34, 92, 123, 125, 91, 93, 44, 10];
const space = (b: number) => b === 32 || b === 9 || b === 10 || b === 13;

export async function* jsonItems(
  chunks: AsyncIterable<Buffer>,
  list: ListAt,
  /** A document without the list has no users (a realm file beside its `-users-N.json` files), rather than being unreadable. */
  optional = false,
): AsyncGenerator<{ line: number; value: unknown }> {
  const stack: number[] = [];
  let inString = false;
  let escaped = false;
  let line = 1;
  // The top-level key being read, and the last one read (Buffer bytes; long keys are never "users").
  let key: number[] | undefined;
  let lastKey = '';
  let expectKey = false;
  // The list of users: the depth of its items, and whether the next value is one.
  let itemDepth = -1;
  let found = false;
  let expectItem = false;
  // The item being kept.
  let parts: Buffer[] | undefined;
  let size = 0;
  let itemLine = 0;
  let rootSeen = false;
  const broken = (why: string) => new UnreadableFile(line, `not valid JSON: ${why}`);

  for await (const chunk of chunks) {
    let start = -1;
    const keep = (end: number) => {
      const piece = chunk.subarray(start, end);
      size += piece.length;
      if (size > MAX_ROW_BYTES) throw new UnreadableFile(itemLine, tooLong('the user that starts here'));
      parts!.push(piece);
    };
    if (parts) start = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      let b = chunk[i]!;
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        if (!key) {
          // Most of a file is string contents: run to the next quote or backslash.
          while (b !== QUOTE && b !== BACKSLASH) {
            if (++i === n) break;
            b = chunk[i]!;
          }
          if (i === n) break;
        }
        if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (key) {
            lastKey = key.length <= 16 ? String.fromCharCode(...key) : '';
            key = undefined;
          }
        } else if (key && key.length <= 16) key.push(b);
        continue;
      }
      if (b === NEWLINE) {
        line++;
        continue;
      }
      if (space(b)) continue;
      const depth = stack.length;
      if (depth === 0 && rootSeen) throw broken('more after the end of the document');
      if (expectItem && depth === itemDepth && b !== CLOSE_ARR) {
        expectItem = false;
        if (b !== OPEN_OBJ) throw broken('a list of users holds objects only');
        parts = [];
        size = 0;
        start = i;
        itemLine = line;
      }
      if (b === QUOTE) {
        inString = true;
        if (expectKey && depth === 1) {
          key = [];
          expectKey = false;
        }
      } else if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (depth === 0) {
          rootSeen = true;
          if (list === 'root' && b !== OPEN_ARR) throw broken('the document is not a list of users');
          if (list === 'users' && b !== OPEN_OBJ) throw broken('the document is not an object with a "users" list');
        }
        stack.push(b);
        if (b === OPEN_OBJ && stack.length === 1) expectKey = true;
        if (b === OPEN_ARR && !found && ((list === 'root' && depth === 0) || (depth === 1 && lastKey === 'users'))) {
          found = true;
          itemDepth = stack.length;
          expectItem = true;
        }
      } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        const open = stack.pop();
        if (open !== (b === CLOSE_OBJ ? OPEN_OBJ : OPEN_ARR)) throw broken(`an unexpected ${String.fromCharCode(b)}`);
        if (parts && stack.length === itemDepth) {
          keep(i + 1);
          const text = Buffer.concat(parts).toString('utf8');
          parts = undefined;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            throw new UnreadableFile(itemLine, 'not valid JSON: the user that starts here cannot be read');
          }
          yield { line: itemLine, value };
        }
        if (stack.length === itemDepth - 1) itemDepth = -1;
      } else if (b === COMMA) {
        if (depth === 1 && stack[0] === OPEN_OBJ) expectKey = true;
        if (depth === itemDepth) expectItem = true;
      }
    }
    if (parts && start >= 0) keep(chunk.length);
  }
  if (inString || stack.length > 0) throw broken('the file ends inside a value (was it cut short?)');
  if (!rootSeen) throw broken('the file is empty');
  if (!found && !optional)
    throw new UnreadableFile(1, list === 'root' ? 'no list of users' : 'no "users" list in the file');
}
