import type { OpenedCore } from '../open-core.js';
import type { Output } from './output.js';

/** The shape of an `usher` command, and the options and arguments several share. */

export type Options = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description: string }
>;

/** A `multiple` option's values are a list (in the order given); every other is a string or a flag. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** What a command runs with: its parsed arguments, where it prints, and the core over the run's database. */
export interface Run {
  values: Values;
  positionals: string[];
  out: Output;
  /** The core, opened at the first call (help and misuse never open the database); the entry closes it. */
  open(): Promise<OpenedCore>;
}

export interface Command {
  summary: string;
  usage: string;
  options: Options;
  /** The exit code (0 done, 1 refused or failed); negative when the command keeps the process (serve). */
  run(run: Run): Promise<number>;
}

/** A command misused: exit 2, with its usage. */
export class UsageError extends Error {}

export const COMMON: Options = {
  'database-url': {
    type: 'string',
    description: 'Database to use (default: DATABASE_URL, else sqlite:./data/usher.db)',
  },
  json: { type: 'boolean', description: 'Print JSON instead of a table' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export const AS: Options = {
  as: { type: 'string', description: 'Act as this admin (username or email; default: the oldest active admin)' },
};

export const PASSWORD: Options = {
  password: { type: 'string', description: 'The password (visible in your shell history; prefer --password-stdin)' },
  'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
};

export const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

/** A `multiple` option's values, or undefined when it was not given. */
export const strings = (v: Values[string]): string[] | undefined => (Array.isArray(v) ? v : undefined);

/** A list command's `--limit`: rows per page, 1-100, 20 when not given. */
export function limitOf(values: Values): number {
  const limit = Number(str(values.limit) ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new UsageError('--limit must be a whole number from 1 to 100');
  return limit;
}

/** A password from --password, or the first line of stdin (so it stays out of shell history and `ps`). */
export async function passwordFrom(values: Values): Promise<string> {
  const given = str(values.password);
  if (given !== undefined) return given;
  if (values['password-stdin']) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  throw new UsageError('give --password or --password-stdin');
}
