import { atomicFile } from '../atomic-file.js';
import { AS, type Command, UsageError, str } from '../command.js';
import { operatorOrSystem } from '../context.js';
import { exportSink } from '../export-format.js';
import { progress } from '../output.js';

/**
 * `usher export`: the core's export (which users leave, whether with their hashes, and its audit event) written as
 * JSONL or CSV (export-format.ts) to stdout or to a file that appears whole (atomic-file.ts).
 */
export const exportCommand: Command = {
  summary: 'Export users as JSONL or CSV (without password hashes unless asked)',
  usage: 'usher export [--format jsonl|csv] [--out FILE] [--include-deleted] [--with-hashes] [--as ADMIN]',
  options: {
    format: { type: 'string', description: 'jsonl (default) or csv' },
    out: { type: 'string', description: 'Write to FILE (created 0600, whole or not at all) instead of stdout' },
    'include-deleted': { type: 'boolean', description: 'Also deleted users (with deleted_at)' },
    'with-hashes': { type: 'boolean', description: 'Include password hashes (to move users to another Usher)' },
    ...AS,
  },
  async run({ values, open }) {
    const format = str(values.format) ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
    const { core } = await open();
    const actor = await operatorOrSystem(core, str(values.as));
    const options = { withHashes: values['with-hashes'] === true, includeDeleted: values['include-deleted'] === true };
    const file = str(values.out) ? atomicFile(str(values.out)!) : undefined;
    const bar = file ? progress('export', undefined) : undefined;
    try {
      const rows = await exportSink(file?.stream ?? process.stdout, {
        format,
        ...options,
        onProgress: (done) => bar?.update(done),
      });
      // The file is in place before the core records the export.
      const n = await core.users.exportUsers(
        actor,
        { ...options, format },
        { write: rows.write, close: async () => (await rows.close(), await file?.commit()) },
      );
      bar?.finish(n);
      return 0;
    } catch (error) {
      file?.abandon();
      throw error;
    }
  },
};
