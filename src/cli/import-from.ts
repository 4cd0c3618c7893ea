import { existsSync, statSync } from 'node:fs';
import {
  SOURCE_SYSTEMS,
  type SourceOptions,
  type SourceReport,
  type SourceSystem,
  checkFirebaseParams,
  newReport,
  sourceRows,
} from '../core/users/import-sources/index.js';
import type { ImportResult } from '../core/users/user.import.js';
import type { ImportRow } from '../core/users/user.import-rows.js';
import { type Options, UsageError, type Values, str } from './command.js';

/** `usher import --from SYSTEM`: the options of another system's export, and what its reading reports. */
export const FROM_OPTIONS: Options = {
  from: {
    type: 'string',
    description: `Read another system's export as it gives it: ${SOURCE_SYSTEMS.join(', ')} (Keycloak: a file or a folder)`,
  },
  'include-deleted': { type: 'boolean', description: 'With --from: import deleted users too (as suspended users)' },
  'admin-role': {
    type: 'string',
    description: 'With --from: the Keycloak realm role, or metadata key or role, whose users become admins',
  },
  'hash-key': { type: 'string', description: "With --from firebase: the project's base64_signer_key" },
  'salt-separator': { type: 'string', description: "With --from firebase: the project's base64_salt_separator" },
  rounds: { type: 'string', description: "With --from firebase: the project's rounds" },
  'mem-cost': { type: 'string', description: "With --from firebase: the project's mem_cost" },
};

const FIREBASE_FLAGS = ['hash-key', 'salt-separator', 'rounds', 'mem-cost'] as const;

export interface FromSource {
  rows: AsyncGenerator<ImportRow>;
  report: SourceReport;
  /** Keys the rows' hashes name (Firebase's signer key), for the import to keep. */
  foreignKeys: string[];
}

/** The rows of `--from SYSTEM PATH`, or undefined without --from; misuse is a UsageError. */
export function fromSource(values: Values, path: string): FromSource | undefined {
  const system = str(values.from);
  for (const flag of ['include-deleted', 'admin-role', ...FIREBASE_FLAGS])
    if (values[flag] !== undefined && system === undefined) throw new UsageError(`--${flag} goes with --from`);
  if (system === undefined) return undefined;
  if (!(SOURCE_SYSTEMS as readonly string[]).includes(system))
    throw new UsageError(`--from takes one of ${SOURCE_SYSTEMS.join(', ')}`);
  if (!existsSync(path)) throw new UsageError(`${path} is not a readable file`);
  if (statSync(path).isDirectory() && system !== 'keycloak')
    throw new UsageError(`${path} is a folder; only --from keycloak reads a folder`);
  const given = FIREBASE_FLAGS.filter((f) => values[f] !== undefined);
  if (given.length > 0 && system !== 'firebase') throw new UsageError(`--${given[0]} goes with --from firebase`);
  if (given.length > 0 && given.length < FIREBASE_FLAGS.length)
    throw new UsageError('give all of --hash-key, --salt-separator, --rounds and --mem-cost');
  const o: SourceOptions = {
    includeDeleted: values['include-deleted'] === true,
    ...(str(values['admin-role']) !== undefined && { adminRole: str(values['admin-role'])! }),
  };
  if (given.length > 0) {
    o.firebase = {
      hashKey: str(values['hash-key'])!,
      saltSeparator: str(values['salt-separator'])!,
      rounds: Number(str(values.rounds)),
      memCost: Number(str(values['mem-cost'])),
    };
    const wrong = checkFirebaseParams(o.firebase);
    if (wrong) throw new UsageError(wrong);
  }
  const report = newReport();
  return {
    rows: sourceRows(system as SourceSystem, path, o, report, Date.now()),
    report,
    foreignKeys: o.firebase ? [o.firebase.hashKey] : [],
  };
}

/** What the reading did beyond the rows: for the summary (JSON) and the note (text). */
export function reportLines(report: SourceReport): { summary: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const skipped = Object.entries(report.skipped);
  if (skipped.length > 0) notes.push(`left out: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}`);
  if (report.suspended) notes.push(`${report.suspended} users suspended (disabled, blocked, banned or deleted there)`);
  if (report.admins) notes.push(`${report.admins} users made admins`);
  if (report.totp) notes.push(`${report.totp} users keep their authenticator (TOTP)`);
  if (report.renamedCount) {
    notes.push(`${report.renamedCount} usernames made valid or unique:`);
    for (const r of report.renamed) notes.push(`  line ${r.line}: ${r.from ?? '(none)'} → ${r.to}`);
    if (report.renamedCount > report.renamed.length)
      notes.push(`  … and ${report.renamedCount - report.renamed.length} more`);
  }
  for (const [field, n] of Object.entries(report.dropped))
    notes.push(`${field} left out of ${n} users: this version of Usher does not import it yet`);
  return {
    summary: {
      read: report.read,
      skipped: report.skipped,
      suspended: report.suspended,
      admins: report.admins,
      totp: report.totp,
      renamed: report.renamedCount,
      renamed_first: report.renamed,
      ...(Object.keys(report.dropped).length > 0 && { dropped: report.dropped }),
    },
    notes,
  };
}

/** A dry run's outcome, in words. */
export const dryRunNote = (result: ImportResult, problems: Array<{ line: number; reason: string }>): string[] => [
  `dry run: nothing was written. ${result.created} users would be created, ${result.updated} updated, ${result.rejected} refused`,
  ...problems.map((p) => `  line ${p.line}: ${p.reason}`),
  ...(result.rejected > problems.length ? [`  … and ${result.rejected - problems.length} more`] : []),
];
