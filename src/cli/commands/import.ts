import { ImportError } from '../../core/users/user.import.js';
import { atomicFile, isFile } from '../atomic-file.js';
import { AS, type Command, UsageError, str } from '../command.js';
import { operatorOrSystem } from '../context.js';
import { progress } from '../output.js';
import { UnreadableFile, countRows, formatOf, readRows } from '../rows.js';

/** `usher import FILE`: rows read here (rows.ts), checked and written by the core's import (core/users/user.import.ts). */
export const importCommand: Command = {
  summary: 'Import users from CSV or JSONL (plain passwords or existing hashes)',
  usage: 'usher import FILE [--format csv|jsonl] [--skip-invalid [--reject-file F]] [--upsert]',
  options: {
    format: { type: 'string', description: 'csv or jsonl (default: from the file name)' },
    'skip-invalid': {
      type: 'boolean',
      description: 'Import the good rows; write the bad ones, with reasons, to the reject file',
    },
    'reject-file': {
      type: 'string',
      description: 'Where --skip-invalid writes bad rows (default: FILE.rejects.jsonl)',
    },
    upsert: {
      type: 'boolean',
      description: 'Update users that already exist (same username or email) instead of refusing them',
    },
    ...AS,
  },
  async run({ values, positionals, out, open }) {
    const file = positionals[0];
    if (!file) throw new UsageError('give the file to import');
    if (!isFile(file)) throw new UsageError(`${file} is not a readable file`);
    const format = formatOf(file, str(values.format));
    if (!format) throw new UsageError('give --format csv or --format jsonl (the file name does not say)');
    if (values['reject-file'] && !values['skip-invalid'])
      throw new UsageError('--reject-file goes with --skip-invalid');
    const { core } = await open();
    const actor = await operatorOrSystem(core, str(values.as));
    const total = await countRows(file, format);
    const bar = progress('import', total);
    const rejectFile = str(values['reject-file']) ?? `${file}.rejects.jsonl`;
    const rejects = values['skip-invalid'] ? atomicFile(rejectFile) : undefined;
    const started = performance.now();
    try {
      const result = await core.users.importUsers(actor, readRows(file, format), {
        upsert: values.upsert === true,
        skipInvalid: values['skip-invalid'] === true,
        onProgress: (n) => bar.update(n),
        onReject: (line, reason, fields) => {
          // A plain password never goes into the reject file.
          const { password: _, ...row } = fields ?? {};
          rejects!.stream.write(`${JSON.stringify({ line, reason, row })}\n`);
        },
      });
      bar.finish(total);
      await rejects?.commit();
      const seconds = Math.round(performance.now() - started) / 1000;
      const summary = {
        created: result.created,
        updated: result.updated,
        rejected: result.rejected,
        seconds,
        ...(rejects && result.rejected > 0 && { reject_file: rejectFile }),
      };
      if (out.json) out.record(summary);
      else
        out.note(
          `imported ${result.created} new and ${result.updated} updated users in ${seconds} s${result.rejected ? `; ${result.rejected} bad rows skipped (see ${summary.reject_file})` : ''}`,
        );
      return 0;
    } catch (error) {
      rejects?.abandon();
      if (error instanceof ImportError) {
        out.note(
          `\nimport stopped at line ${error.line}: ${error.reason}\nnothing was imported (--skip-invalid imports the good rows)`,
        );
        return 1;
      }
      if (error instanceof UnreadableFile) {
        out.note(`\nimport stopped at line ${error.line}: ${error.reason}\nnothing was imported`);
        return 1;
      }
      throw error;
    }
  },
};
