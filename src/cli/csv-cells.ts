/**
 * CSV cells a spreadsheet would run as formulas (CSV or formula injection,
 * OWASP): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return (or their full-width forms, which some spreadsheets fold into them)
 * is written with a single quote before it, and quoted, so it shows as text.
 *
 * The import takes one leading quote off again, so an export imports back as
 * the same values. To keep that exact, a value that already starts with
 * quotes followed by one of those characters gets one more quote too:
 * `guard` then `unguard` gives back every value unchanged.
 */
const FORMULA = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The text to write for `value`, and whether it must be quoted. */
export function guardCell(value: string): string | { value: string; quoted: true } {
  return FORMULA.test(value) ? { value: `'${value}`, quoted: true } : value;
}

/** A cell as read from an import file: one guarding quote taken off. */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}
