import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDatabase } from './database.js';
import { groupCommit } from './group-commit.js';
import { migrateToLatest } from './migrate.js';
import { prepared } from './prepared.js';

test('group commit: units queued together commit together; a failing unit fails alone; an open transaction sends them the ordinary way', async () => {
  const database = createDatabase('sqlite::memory:');
  await migrateToLatest(database.db);
  const db = database.db;
  await db.deleteFrom('signing_keys').execute();
  const together = groupCommit(database)!;
  const insert = prepared(database, ['kid'], (p) =>
    db
      .insertInto('signing_keys')
      .values({ kid: p.kid, alg: 'HS256', secret: 's', created_at: '2026-01-01T00:00:00.000Z' }),
  );
  const kids = async () =>
    (await db.selectFrom('signing_keys').select('kid').orderBy('kid').execute()).map((r) => r.kid);

  const done = await Promise.all(['a', 'b', 'c'].map((kid) => together(() => (insert.now!({ kid }), kid))));
  assert.deepEqual(done, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
  assert.deepEqual(await kids(), ['a', 'b', 'c']);

  // 'a' again breaks the primary key: the batch rolls back, then each unit runs alone, so only that one fails.
  const outcomes = await Promise.allSettled(['d', 'a', 'e'].map((kid) => together(() => insert.now!({ kid }))));
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(await kids(), ['a', 'b', 'c', 'd', 'e']);

  // While a Kysely transaction holds the connection, a unit runs nothing and answers undefined.
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('signing_keys').where('kid', '=', 'e').execute();
    assert.equal(await together(() => insert.now!({ kid: 'f' })), undefined);
  });
  assert.deepEqual(await kids(), ['a', 'b', 'c', 'd']);
  const postgres = createDatabase('postgres://unused@127.0.0.1:1/none');
  assert.equal(groupCommit(postgres), undefined, 'PostgreSQL commits per connection');
  await postgres.close();
  await database.close();
});
