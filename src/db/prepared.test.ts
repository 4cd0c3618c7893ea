import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { prepared } from './prepared.js';

test('prepared queries bind every occurrence of a value, skip unused ones, and never read uncommitted rows', async () => {
  const database = createDatabase('sqlite::memory:');
  await migrateToLatest(database.db);
  const db = database.db;
  const insert = prepared(database, 3, (id, kid, at) => db.insertInto('signing_keys').values({ kid: id, alg: kid, secret: at, created_at: at }));
  await insert.in(db, 'k1', 'HS256', '2026-01-01T00:00:00.000Z');
  const read = prepared(database, 2, (kid, unused) => db.selectFrom('signing_keys').selectAll().where('kid', '=', kid));
  assert.deepEqual(await read('k1', 'ignored'), [{ kid: 'k1', alg: 'HS256', secret: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z' }]);
  assert.deepEqual(await read('k2'), []);

  // A read issued while a transaction is open waits for it, instead of seeing its uncommitted row.
  let seen: unknown[] | undefined;
  await db.transaction().execute(async (trx) => {
    await insert.in(trx, 'k2', 'HS256', 'x');
    const pending = read('k2').then((rows) => (seen = rows));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(seen, undefined, 'the read waited');
    await trx.deleteFrom('signing_keys').where('kid', '=', 'k2').execute();
    void pending;
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seen, []);
  await database.close();
});
