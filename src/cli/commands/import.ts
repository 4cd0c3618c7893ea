import { ImportError } from '../../core/users/user.import.js';
import { atomicFile, isFile } from '../atomic-file.js';
import { AS, type Command, UsageError, str } from '../command.js';
import { operatorOrSystem } from '../context.js';
import { progress } from '../output.js';
import { FROM_OPTIONS, dryRunNote, fromSource, reportLines } from '../import-from.js';
import { UnreadableFile, countRows, formatOf, readRows } from '../rows.js';

/**
 * `usher import FILE`: rows read here (rows.ts), or from another system's export (`--from`, import-from.ts and
 * core/users/import-sources/), checked and written by the core's import (core/users/user.import.ts).
 */
export const importCommand: Command = {
  summary: 'Import users from CSV or JSONL, or from Keycloak, Auth0, Supabase, Firebase or Clerk exports',
  usage:
    'usher import FILE [--format csv|jsonl] [--skip-invalid [--reject-file F]] [--upsert] [--dry-run]\n' +
    '       usher import --from keycloak|auth0|supabase|firebase|clerk FILE|DIR [--include-deleted] [--admin-role NAME]\n' +
    '                    [--hash-key K --salt-separator S --rounds R --mem-cost M] [--skip-invalid] [--dry-run]',
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
    'dry-run': {
      type: 'boolean',
      description:
        'Read and check the whole file, report what would happen (first problems with their lines); write nothing',
    },
    ...FROM_OPTIONS,
    ...AS,
  },
  async run({ values, positionals, out, open }) {
    const file = positionals[0];
    if (!file) throw new UsageError('give the file to import');
    const source = fromSource(values, file);
    if (!source && !isFile(file)) throw new UsageError(`${file} is not a readable file`);
    if (source && values.format) throw new UsageError('--format goes without --from (each system has its own)');
    const format = source ? 'jsonl' : formatOf(file, str(values.format));
    if (!format) throw new UsageError('give --format csv or --format jsonl (the file name does not say)');
    if (values['reject-file'] && !values['skip-invalid'])
      throw new UsageError('--reject-file goes with --skip-invalid');
    const dryRun = values['dry-run'] === true;
    if (dryRun && values['skip-invalid']) throw new UsageError('--dry-run reports every bad row already');
    const { core } = await open();
    const actor = await operatorOrSystem(core, str(values.as));
    const total = source ? undefined : await countRows(file, format);
    const bar = progress(dryRun ? 'dry run' : 'import', total);
    const rejectFile = str(values['reject-file']) ?? `${file.replace(/\/+$/, '')}.rejects.jsonl`;
    const rejects = values['skip-invalid'] ? atomicFile(rejectFile) : undefined;
    const problems: Array<{ line: number; reason: string }> = [];
    const started = performance.now();
    let read = 0;
    try {
      const result = await core.users.importUsers(actor, source?.rows ?? readRows(file, format), {
        upsert: values.upsert === true,
        skipInvalid: values['skip-invalid'] === true || dryRun,
        dryRun,
        foreignKeys: source?.foreignKeys ?? [],
        onProgress: (n) => {
          read = n;
          bar.update(n);
        },
        onReject: (line, reason, fields) => {
          if (dryRun) {
            if (problems.length < 10) problems.push({ line, reason });
            return;
          }
          // A plain password never goes into the reject file.
          const { password: _, ...row } = fields ?? {};
          rejects!.stream.write(`${JSON.stringify({ line, reason, row })}\n`);
        },
      });
      bar.finish(total ?? read);
      await rejects?.commit();
      const seconds = Math.round(performance.now() - started) / 1000;
      const from = source && reportLines(source.report);
      const summary = {
        ...(dryRun && { dry_run: true }),
        created: result.created,
        updated: result.updated,
        rejected: result.rejected,
        seconds,
        ...(rejects && result.rejected > 0 && { reject_file: rejectFile }),
        ...(dryRun && { problems }),
        ...from?.summary,
      };
      if (out.json) out.record(summary);
      else {
        for (const note of dryRun ? dryRunNote(result, problems) : []) out.note(note);
        if (!dryRun)
          out.note(
            `imported ${result.created} new and ${result.updated} updated users in ${seconds} s${result.rejected ? `; ${result.rejected} bad rows skipped (see ${summary.reject_file})` : ''}`,
          );
        for (const note of from?.notes ?? []) out.note(note);
      }
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
