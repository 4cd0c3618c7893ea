import { auditEvent, sourceOf } from '../audit.js';
import { assertCanTransferUsers } from '../policy.js';
import type { ExportedUser, Storage } from '../storage.js';
import type { Principal } from '../types.js';

/**
 * Taking users out (`usher export`): every user (live ones, or all), page by
 * page in id order, so memory stays flat however many there are. The file's
 * format is the caller's; which users and whether their hashes leave is
 * decided here. A completed export is audited: one `user.exported` event,
 * recorded once the sink has closed (the file is in place), naming how many
 * users left and whether their hashes went with them.
 */

export interface ExportOptions {
  includeDeleted: boolean;
  /** Password hashes go with the users (to move them to another Usher); otherwise none leaves. */
  withHashes: boolean;
  /** The file's format, for the audit trail. */
  format?: string;
}

/** Where the pages go: `write` takes each in turn, `close` once the last is written. */
export interface ExportSink {
  write(page: ExportedUser[]): Promise<void>;
  close(): Promise<void>;
}

const PAGE = 1000;

/** Exports every user as `actor` (an admin) to `sink`; how many were written. */
export async function exportUsers(
  deps: { storage: Storage; now: () => number },
  actor: Principal,
  o: ExportOptions,
  sink: ExportSink,
): Promise<number> {
  assertCanTransferUsers(actor);
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const page = await deps.storage.users.exportPage(after, PAGE, o.includeDeleted);
    if (page.length === 0) break;
    await sink.write(o.withHashes ? page : page.map((e) => ({ ...e, passwordHash: null })));
    count += page.length;
    after = page[page.length - 1]!.user.id;
  }
  await sink.close();
  const details = {
    count,
    include_hashes: o.withHashes,
    include_deleted: o.includeDeleted,
    ...(o.format && { format: o.format }),
  };
  const entry = { type: 'user.exported' as const, targetId: null, details };
  await deps.storage.audit.record(auditEvent(sourceOf(actor), entry, new Date(deps.now()).toISOString()));
  return count;
}
