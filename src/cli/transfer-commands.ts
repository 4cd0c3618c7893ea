import { ImportError } from '../core/users/user.import.js';
import { AS, type Command, UsageError, core, operator, str } from './context.js';
import { progress } from './output.js';
import { UnreadableFile, countRows, formatOf, readRows } from './rows.js';
import { atomicFile, exportUsers, isFile } from './transfer.js';

/** `usher import` and `usher export`: users in and out of files (rows.ts reads them, transfer.ts writes them). */

export const TRANSFER_COMMANDS: Record<string, Command> = {
  import: {
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
    async run({ values, positionals, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the file to import');
      if (!isFile(file)) throw new UsageError(`${file} is not a readable file`);
      const format = formatOf(file, str(values.format));
      if (!format) throw new UsageError('give --format csv or --format jsonl (the file name does not say)');
      if (values['reject-file'] && !values['skip-invalid'])
        throw new UsageError('--reject-file goes with --skip-invalid');
      const opened = await core();
      const actor = await operator(str(values.as)).catch(() => null);
      const total = await countRows(file, format);
      const bar = progress('import', total);
      const rejects = values['skip-invalid']
        ? atomicFile(str(values['reject-file']) ?? `${file}.rejects.jsonl`)
        : undefined;
      const started = performance.now();
      try {
        const result = await opened.core.users.importUsers(actor?.userId ?? null, readRows(file, format), {
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
          ...(rejects && result.rejected > 0 && { reject_file: str(values['reject-file']) ?? `${file}.rejects.jsonl` }),
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
  },
  export: {
    summary: 'Export users as JSONL or CSV (without password hashes unless asked)',
    usage: 'usher export [--format jsonl|csv] [--out FILE] [--include-deleted] [--with-hashes]',
    options: {
      format: { type: 'string', description: 'jsonl (default) or csv' },
      out: { type: 'string', description: 'Write to FILE (created 0600, whole or not at all) instead of stdout' },
      'include-deleted': { type: 'boolean', description: 'Also deleted users (with deleted_at)' },
      'with-hashes': { type: 'boolean', description: 'Include password hashes (to move users to another Usher)' },
    },
    async run({ values }) {
      const format = str(values.format) ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
      const { storage } = await core();
      const file = str(values.out) ? atomicFile(str(values.out)!) : undefined;
      const bar = file ? progress('export', undefined) : undefined;
      try {
        const n = await exportUsers(storage, file?.stream ?? process.stdout, {
          format,
          withHashes: values['with-hashes'] === true,
          includeDeleted: values['include-deleted'] === true,
          onProgress: (done) => bar?.update(done),
        });
        bar?.finish(n);
        await file?.commit();
        return 0;
      } catch (error) {
        file?.abandon();
        throw error;
      }
    },
  },
};
