import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { tempDir } from '../../scripts/fixtures.js';
import { createDatabase } from './database.js';

test('WAL checkpoints run in a worker: commits only append, and between bursts the WAL is copied out and reused', async () => {
  const dir = tempDir('usher-checkpoint-');
  const file = join(dir, 'c.db');
  const database = createDatabase(`sqlite:${file}`);
  await sql`create table blobs (b blob not null)`.execute(database.db);
  const burst = 100; // commits of a 4 KB row: about 1.3 MB of WAL per burst, a third of SQLite's own 1000-page automatic checkpoint
  let firstBurst = 0;
  for (let round = 1; round <= 6; round++) {
    for (let i = 0; i < burst; i++) await sql`insert into blobs (b) values (${randomBytes(4096)})`.execute(database.db);
    firstBurst ||= statSync(`${file}-wal`).size;
    // Wait (at most 20 s, for a loaded machine) until the worker has copied this burst into the database file.
    for (let waited = 0; statSync(file).size < round * burst * 4096; waited += 50) {
      assert.ok(waited < 20_000, `burst ${round} was not checkpointed`);
      await sleep(50);
    }
    await sleep(300); // the file grows while the copy is under way: let it finish
  }
  // Each pause let the worker copy the WAL into the database file, so the next burst reused the WAL from
  // its start: it stays the size of one burst (without the worker it would pass 4 MB before SQLite's own checkpoint).
  const wal = statSync(`${file}-wal`).size;
  assert.ok(wal <= firstBurst * 1.5, `WAL of ${wal} bytes after six bursts, ${firstBurst} after one`);
  assert.ok(statSync(file).size >= 6 * burst * 4096, 'the rows are in the database file while it is open');
  const rows = await sql<{ n: number }>`select count(*) as n from blobs`.execute(database.db);
  assert.equal(rows.rows[0]!.n, 6 * burst);
  await database.close();
  // The database file alone (the WAL folded in when the last connection closed) holds every row.
  const reopened = createDatabase(`sqlite:${file}`);
  assert.equal((await sql<{ n: number }>`select count(*) as n from blobs`.execute(reopened.db)).rows[0]!.n, 6 * burst);
  await reopened.close();
});
