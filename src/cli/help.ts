import { COMMON } from './command.js';
import { COMMANDS } from './command-table.js';

/** `usher --help` (every command of the table) and `usher <command> --help` (its usage and options). */
export function help(name?: string): string {
  const c = name ? COMMANDS[name] : undefined;
  if (c) {
    const options = { ...c.options, ...COMMON };
    const width = Math.max(...Object.keys(options).map((k) => k.length)) + 2;
    return [
      `${c.summary}.`,
      '',
      `Usage: ${c.usage}`,
      '',
      'Options:',
      ...Object.entries(options).map(([k, o]) => `  --${k.padEnd(width)}${o.description}`),
    ].join('\n');
  }
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 2;
  return [
    'usher: run and manage a Usher user service.',
    '',
    'Usage: usher <command> [options]   (usher <command> --help for its options)',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}${c.summary}`),
    '',
    'It reads the same environment as the server (DATABASE_URL, REDIS_URL, ...); --database-url overrides DATABASE_URL.',
  ].join('\n');
}
