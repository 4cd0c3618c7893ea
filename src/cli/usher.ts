import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { AppError } from '../core/errors.js';
import { COMMON, UsageError, type Values } from './command.js';
import { COMMANDS } from './command-table.js';
import { connection } from './context.js';
import { help } from './help.js';
import { output } from './output.js';

/**
 * `usher`: the operator's command. It reads the same environment as the
 * server (DATABASE_URL, REDIS_URL, ...; `--database-url` overrides) and
 * works on the database through the core, so every rule, the audit trail and
 * the other instances' caches (over Redis) see its changes as they see a
 * request's. Exit codes: 0 done, 1 refused or failed, 2 misused.
 */

/** Runs the command `argv` names; its exit code, or -1 when the command keeps the process (serve). */
async function main(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  // The longest command the words name: `org member add`, `user list`, `serve`.
  const name = [3, 2].map((n) => words.slice(0, n).join(' ')).find((k) => COMMANDS[k]) ?? words[0];
  if (!name || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${help(words[0] === 'help' ? words.slice(1).join(' ') : undefined)}\n`);
    return name || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help' ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    const group = [
      ...new Set(
        Object.keys(COMMANDS)
          .filter((k) => k.startsWith(`${name} `))
          .map((k) => k.slice(name.length + 1).split(' ')[0]),
      ),
    ];
    process.stderr.write(
      group.length > 0
        ? `usher ${name}: give one of ${group.join(', ')}\n`
        : `usher: no command ${name} (usher --help lists them)\n`,
    );
    return 2;
  }
  const rest = argv.slice(argv.indexOf(name.split(' ').at(-1)!) + 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, ...COMMON },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`usher ${name}: ${(error as Error).message}\n${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${help(name)}\n`);
    return 0;
  }
  // Every value is a string or a flag, or a list of strings for an option declared `multiple`.
  const values = parsed.values as Values;
  const database = connection(typeof values['database-url'] === 'string' ? values['database-url'] : undefined);
  const code = await command
    .run({ values, positionals: parsed.positionals, out: output(values.json === true), open: database.open })
    .catch((error: unknown) => failed(name, command.usage, error));
  // A command that keeps the process (serve) keeps what it opened.
  if (code >= 0) await database.close().catch(() => {});
  return code;
}

/** What a command's error says on stderr, and its exit code: 2 misused, 1 refused or failed. */
function failed(name: string, usage: string, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`usher ${name}: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`usher: ${error.message}\n`);
    return 2;
  }
  if (error instanceof AppError) {
    const details =
      error.details && Object.keys(error.details).length > 0
        ? ` (${Object.entries(error.details)
            .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join('; ')})`
        : '';
    process.stderr.write(`usher ${name}: ${error.message}${details}\n`);
    return 1;
  }
  process.stderr.write(`usher ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
