import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import { sqliteModulePath } from './sqlite-driver.js';

// The worker's whole program: its own connection to the same file, moving what the WAL holds into
// the database file. PASSIVE never waits for readers or writers; a busy checkpoint is tried again later.
// The worker opens the file a moment after the server did: if it is gone by then (removed while the
// server closed), the worker fails rather than make an empty database in its place.
const program = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
parentPort.postMessage('ready');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread instead of inside
 * commits. SQLite's automatic checkpoint runs in the commit that crosses
 * 1000 pages: it copies them into the database file and fsyncs both files,
 * on the event loop, while every request waits. Here the committing
 * connection only appends to the WAL, and the worker's own connection
 * checkpoints every `everyMs`. Durability is unchanged (a commit is in the
 * WAL either way; see docs/decisions.md). If the worker cannot run, the
 * connection goes back to automatic checkpoints.
 */
export function startCheckpointer(
  native: SQLite.Database,
  file: string,
  synchronous: 'NORMAL' | 'FULL',
  everyMs = 200,
): Checkpointer {
  native.pragma('wal_autocheckpoint = 0');
  // The WAL file is reused from its start after a full checkpoint; this trims it back when a burst grew it.
  native.pragma('journal_size_limit = 67108864');
  let stopping = false;
  const worker = new Worker(program, {
    eval: true,
    workerData: { module: sqliteModulePath(), file, synchronous, everyMs },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  const fallBack = () => {
    if (!stopping && native.open) native.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  // Terminating a worker while it loads the native module aborts the whole process on Node.js 24
  // (the addon's registration fails inside a dying environment), so stop waits until the module
  // is loaded, the worker is gone, or 5 s pass.
  const settled = new Promise<void>((resolve) => {
    const done = () => resolve();
    worker.once('message', done);
    worker.once('error', done);
    worker.once('exit', done);
    setTimeout(done, 5000).unref();
  });
  return {
    async stop() {
      stopping = true;
      await settled;
      await worker.terminate();
    },
  };
}
