import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A file that appears whole or not at all: written beside its final name,
 * renamed into place by `commit`, removed by `abandon`. The temporary file
 * has a random name and is created exclusively (O_EXCL: never a file or a
 * link someone else put there) with mode 0600, the final file's: exports and
 * reject files hold personal data.
 */
export function atomicFile(path: string): { stream: WriteStream; commit(): Promise<void>; abandon(): void } {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    throw new Error(
      `cannot write beside ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const stream = createWriteStream(temp, { fd });
  // Interrupted (Ctrl-C, a stop), the file is removed first, then the signal does what it would have done.
  const onSignal = (signal: NodeJS.Signals) => {
    abandon();
    process.kill(process.pid, signal);
  };
  const release = () => STOPS.forEach((s) => process.removeListener(s, onSignal));
  STOPS.forEach((s) => process.once(s, onSignal));
  function abandon() {
    release();
    stream.destroy();
    rmSync(temp, { force: true });
  }
  return {
    stream,
    async commit() {
      stream.end();
      await once(stream, 'close');
      renameSync(temp, path);
      release();
    },
    abandon,
  };
}

const STOPS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};
