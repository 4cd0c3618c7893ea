import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { prepared } from './prepared.js';

test('prepared queries bind named values wherever they occur, skip unused ones, and never read uncommitted rows', async () => {
  const database = createDatabase('sqlite::memory:');
  await migrateToLatest(database.db);
  const db = database.db;
  await db.deleteFrom('signing_keys').execute();
  const insert = prepared(database, ['kid', 'alg', 'at'], (p) =>
    db.insertInto('signing_keys').values({ kid: p.kid, alg: p.alg, secret: p.at, created_at: p.at }),
  );
  await insert.in(db, { kid: 'k1', alg: 'HS256', at: '2026-01-01T00:00:00.000Z' });
  const read = prepared(database, ['kid', 'unused'], (p) =>
    db.selectFrom('signing_keys').select(['kid', 'alg', 'secret', 'created_at']).where('kid', '=', p.kid),
  );
  assert.deepEqual(await read({ kid: 'k1', unused: 'ignored' }), [
    { kid: 'k1', alg: 'HS256', secret: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z' },
  ]);
  assert.deepEqual(await read({ kid: 'k2', unused: null }), []);

  // A read issued while a transaction is open waits for it, instead of seeing its uncommitted row.
  let seen: unknown[] | undefined;
  await db.transaction().execute(async (trx) => {
    await insert.in(trx, { kid: 'k2', alg: 'HS256', at: 'x' });
    const pending = read({ kid: 'k2', unused: null }).then((rows) => (seen = rows));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(seen, undefined, 'the read waited');
    await trx.deleteFrom('signing_keys').where('kid', '=', 'k2').execute();
    void pending;
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seen, []);
  await database.close();
});
